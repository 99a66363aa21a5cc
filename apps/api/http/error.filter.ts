import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { AccessDenied, DomainError, ErrorCode, type FieldError } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
import { bodyForStatus, STATUS_OF, type ErrorBody } from './error-response.js';
import { routeOf } from './request-log.js';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}

/** Fields a client must never set: naming one is a mass-assignment attempt, audited as security. */
const PROTECTED_FIELDS = new Set(['state', 'version', 'assigneeId', 'assigneeUserId', 'assigneeRole', 'actorId', 'decidedBy', 'onBehalfOf', 'id', 'createdBy', 'role', 'roles']);

/** Maps every error to API.md's `{statusCode, code, message, details}`; records refusals before replying. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly engine: Engine) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest & FastifyRequest>();
    const reply = http.getResponse<Reply>();
    const body = this.toBody(error, req);
    void this.record(error, body, req)
      .catch((err) => this.logger.error(`could not record a security entry: ${err}`))
      .finally(() => {
        const retryAfter = (body.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds;
        if (body.statusCode === 429 && retryAfter) reply.header('retry-after', String(retryAfter));
        reply.status(body.statusCode).send(body);
      });
  }

  private toBody(error: unknown, req: FastifyRequest): ErrorBody {
    // The request by its id and route pattern: its URL may carry a token (`?access_token=`) or ids.
    const where = { reqId: req.id, method: req.method, route: routeOf(req) };
    if (error instanceof DomainError) {
      return { statusCode: STATUS_OF[error.code] ?? 400, code: error.code, message: error.message, details: error.details ?? null };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = bodyForStatus(status, status === 404 ? `no route ${req.method} ${req.url}` : error.message);
      if (status === 400) body.details = [{ field: 'body', reason: error.message }];
      return body;
    }
    // Data the driver refused (SQLSTATE class 22: out of range, bad encoding) came from the client.
    const sqlState = (error as { driverError?: { code?: string } })?.driverError?.code;
    if (typeof sqlState === 'string' && sqlState.startsWith('22')) {
      this.logger.warn({ msg: 'database refused a value', ...where, sqlState });
      return bodyForStatus(400, 'a value is out of range or not valid text', [{ field: 'body', reason: `refused by the database (${sqlState})` }]);
    }
    const status = (error as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return bodyForStatus(status, (error as Error).message);
    this.logger.error({ msg: 'internal error', ...where, status: 500, stack: String((error as Error)?.stack ?? error) });
    return bodyForStatus(500, 'internal error');
  }

  private async record(error: unknown, body: ErrorBody, req: AuthenticatedRequest): Promise<void> {
    if (!req.principal) return;
    if (error instanceof AccessDenied) {
      await this.engine.security.refusedAccess(req.principal, error);
    } else if (error instanceof DomainError && error.code === ErrorCode.VALIDATION_FAILED) {
      const fields = ((error.details as FieldError[]) ?? []).filter((f) => /should not exist/.test(f.reason)).map((f) => f.field);
      // A protected name anywhere in the body counts: `state` at the top, or in `items[0].state`.
      const attempted = fields.filter((f) => PROTECTED_FIELDS.has(f.split('.').pop()!.replace(/\[\d+\]$/, '')));
      if (attempted.length) {
        await this.engine.security.refused({
          principal: req.principal,
          action: 'mass-assignment',
          status: 400,
          code: body.code,
          documentId: (req as { url?: string }).url?.startsWith('/api/documents/') ? req.params?.id : undefined,
          details: { fields: attempted, ...((req as { url?: string }).url?.startsWith('/api/tasks/') ? { taskId: req.params?.id } : {}) },
        });
      }
    }
  }
}
