import { Injectable, type CallHandler, type CanActivate, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, defer, switchMap, type Observable } from 'rxjs';
import { AccessDenied, DomainError, ErrorCode } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';

/**
 * Guards run before validation pipes, which gives API.md's order of checks: a caller who may not
 * see the document gets 404 even when the body is also bad. A malformed id is 404 as well.
 */
@Injectable()
export class DocumentVisibleGuard implements CanActivate {
  constructor(private readonly engine: Engine) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const id = req.params.id;
    if (!(await this.engine.documentReadModel.canSeeDocument(req.principal!, id))) {
      throw new AccessDenied(ErrorCode.NOT_FOUND, 'document not found', { action: 'read', documentId: isPlausibleId(id) ? id : undefined });
    }
    return true;
  }
}

@Injectable()
export class TaskVisibleGuard implements CanActivate {
  constructor(private readonly engine: Engine) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    await requireVisibleTask(this.engine, ctx.switchToHttp().getRequest<AuthenticatedRequest>());
    return true;
  }
}

/**
 * For the routes that act on a task (decide, delegate, add a signer): the change itself opens the task
 * and its document in its transaction, in one read, and answers 404 when the caller may not see them;
 * no guard reads the task before. A body the validation pipe refuses (pipes run inside interceptors)
 * is answered 400 only to a caller who may see the task, 404 to anyone else: API.md's order, as
 * TaskVisibleGuard gives it. The task is read only on that path, and for a request with an
 * `Idempotency-Key`, before the idempotency interceptor (inside this one: list it first) judges the
 * key or replays an answer: a replay rebuilt from the task as it is now must not reach a caller who may
 * no longer see it.
 */
@Injectable()
export class TaskVisibleBeforeBody implements NestInterceptor {
  constructor(private readonly engine: Engine) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest & { headers: Record<string, unknown> }>();
    if (req.headers['idempotency-key'] !== undefined) {
      return defer(() => requireVisibleTask(this.engine, req)).pipe(switchMap(() => next.handle()));
    }
    return next.handle().pipe(
      catchError((err: unknown) =>
        defer(async () => {
          if (err instanceof DomainError && err.code === ErrorCode.VALIDATION_FAILED) await requireVisibleTask(this.engine, req);
          throw err;
        }),
      ),
    );
  }
}

/** 404 (audited by the error filter) unless the caller may see the task the route names: one read. */
async function requireVisibleTask(engine: Engine, req: AuthenticatedRequest): Promise<void> {
  if (!(await engine.documentReadModel.visibleTask(req.principal!, req.params.id))) {
    throw new AccessDenied(ErrorCode.NOT_FOUND, 'task not found', { action: 'read-task', taskId: isPlausibleId(req.params.id) ? req.params.id : undefined });
  }
}

const isPlausibleId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);
