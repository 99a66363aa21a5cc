import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AccessDenied, ErrorCode } from '@shenpi/domain';
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
    if (!(await this.engine.queries.canSeeDocument(req.principal!, id))) {
      throw new AccessDenied(ErrorCode.NOT_FOUND, 'document not found', { action: 'read', documentId: isPlausibleId(id) ? id : undefined });
    }
    return true;
  }
}

@Injectable()
export class TaskVisibleGuard implements CanActivate {
  constructor(private readonly engine: Engine) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!(await this.engine.queries.canSeeTask(req.principal!, req.params.id))) {
      throw new AccessDenied(ErrorCode.NOT_FOUND, 'task not found', { action: 'read-task', taskId: isPlausibleId(req.params.id) ? req.params.id : undefined });
    }
    return true;
  }
}

const isPlausibleId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);
