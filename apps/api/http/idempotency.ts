import {
  applyDecorators,
  createParamDecorator,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { canonicalJson } from '@shenpi/audit';
import { validationFailed, type Principal } from '@shenpi/domain';
import { Engine, IdempotentReplay, type IdempotencyClaim } from '@shenpi/engine';
import { MAX_DEPTH, tooDeep } from './validation.js';
import { from, lastValueFrom, type Observable } from 'rxjs';

/** What a route answers with, so a replay whose answer was never stored can rebuild it. */
type Answer = 'document' | 'document-summary' | 'task';

export const IDEMPOTENT = 'shenpi:idempotent';
/** Printable ASCII without spaces, as clients generate them (UUIDs, ULIDs, random tokens). */
export const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface IdempotentRequest {
  principal?: Principal;
  method: string;
  url: string;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
  idempotency?: IdempotencyClaim;
}

/**
 * Marks a write route that honours the `Idempotency-Key` header: the first request with a key is
 * applied and its answer kept for 24 hours; a retry with the same key and the same request gets
 * that answer (header `Idempotent-Replayed: true`) and changes nothing; the same key with another
 * request is refused (422 IDEMPOTENCY_KEY_REUSED).
 */
export const Idempotent = (answer: Answer) => applyDecorators(SetMetadata(IDEMPOTENT, answer), UseInterceptors(IdempotencyInterceptor));

/** The request's claim for the use case, which records the key in the change's own transaction. */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): IdempotencyClaim | undefined => ctx.switchToHttp().getRequest<IdempotentRequest>().idempotency,
);

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly engine: Engine,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<IdempotentRequest>();
    const header = req.headers['idempotency-key'];
    if (header === undefined) return next.handle();
    return from(this.around(ctx, req, header, next));
  }

  private async around(ctx: ExecutionContext, req: IdempotentRequest, header: string | string[], next: CallHandler): Promise<unknown> {
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw validationFailed([{ field: 'Idempotency-Key', reason: 'one header of 1 to 255 printable ASCII characters without spaces' }]);
    }
    const principal = req.principal!;
    const claim: IdempotencyClaim = { key: header, fingerprint: fingerprint(req) };
    const answer = this.reflector.get<Answer>(IDEMPOTENT, ctx.getHandler());
    const statusCode = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler()) ?? (req.method === 'POST' ? 201 : 200);

    const prior = await this.engine.idempotency.committed(principal, claim);
    if (prior) return this.replay(ctx, prior, principal, answer);
    req.idempotency = claim;
    try {
      const body = await lastValueFrom(next.handle());
      // The change is committed; if storing its answer fails, a retry rebuilds the answer instead.
      await this.engine.idempotency.storeResponse(principal, claim.key, statusCode, body).catch(() => undefined);
      return body;
    } catch (err) {
      if (err instanceof IdempotentReplay) return this.replay(ctx, err, principal, answer);
      // A concurrent request with the same key may have committed first (PostgreSQL runs them at once).
      const twin = await this.engine.idempotency.committed(principal, claim);
      if (twin instanceof IdempotentReplay) return this.replay(ctx, twin, principal, answer);
      throw err;
    }
  }

  private async replay(ctx: ExecutionContext, found: IdempotentReplay | Error, principal: Principal, answer: Answer): Promise<unknown> {
    if (!(found instanceof IdempotentReplay)) throw found;
    ctx.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>().header('Idempotent-Replayed', 'true');
    const { record } = found;
    if (record.response !== null) return record.response;
    if (answer === 'task') return this.engine.inboxReadModel.describeTaskById(record.taskId!);
    return this.engine.documentReadModel.document(principal, record.documentId!, answer === 'document');
  }
}

/** The same key may only repeat the same request: method, path and body (key order aside). */
function fingerprint(req: IdempotentRequest): string {
  // canonicalJson recurses: a body nested past what the validation pipe allows is refused first, as it would be there.
  if (tooDeep(req.body, MAX_DEPTH)) throw validationFailed([{ field: 'body', reason: `nested more than ${MAX_DEPTH} levels deep` }]);
  return createHash('sha256')
    .update(`${req.method} ${req.url}\n${canonicalJson(req.body ?? null)}`)
    .digest('hex');
}
