import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AccessDenied, ErrorCode } from '@shenpi/domain';
import { Engine, type TaskRow } from '@shenpi/engine';
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
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest & { task?: TaskRow }>();
    req.task = await this.engine.documentReadModel.visibleTask(req.principal!, req.params.id);
    if (!req.task) {
      throw new AccessDenied(ErrorCode.NOT_FOUND, 'task not found', { action: 'read-task', taskId: isPlausibleId(req.params.id) ? req.params.id : undefined });
    }
    return true;
  }
}

/** The task TaskVisibleGuard found (as it was then: the use case re-reads it in its transaction). */
export const VisibleTask = createParamDecorator((_: unknown, ctx: ExecutionContext): TaskRow => ctx.switchToHttp().getRequest<{ task: TaskRow }>().task);

const isPlausibleId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);
