import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { validationFailed } from '@shenpi/domain';

/** What each handler declares it reads, from its parameter decorators: read once per handler. */
const declaredBy = new WeakMap<object, Set<number>>();

function declared(ctx: ExecutionContext): Set<number> {
  const handler = ctx.getHandler();
  let reads = declaredBy.get(handler);
  if (!reads) {
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctx.getClass(), handler.name) ?? {}) as Record<string, unknown>;
    reads = new Set(Object.keys(args).map((key) => Number(key.split(':')[0])).filter((n) => Number.isInteger(n)));
    declaredBy.set(handler, reads);
  }
  return reads;
}

const isEmpty = (body: unknown) => body === undefined || body === null || (typeof body === 'object' && !Buffer.isBuffer(body) && Object.keys(body).length === 0);

/**
 * A route that declares no body refuses one, and a route that declares no query refuses every
 * query parameter: the validation pipe only sees what a handler reads, and "every unknown field
 * is refused" holds for the routes that read nothing too (logout, me, signing a tree head, …).
 * A handler that takes the raw request reads what it likes and is left alone.
 */
@Injectable()
export class UndeclaredInputGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    const reads = declared(ctx);
    if (reads.has(RouteParamtypes.REQUEST) || reads.has(RouteParamtypes.RAW_BODY)) return true;
    const req = ctx.switchToHttp().getRequest<{ body?: unknown; query?: Record<string, unknown> }>();
    const problems: { field: string; reason: string }[] = [];
    if (!reads.has(RouteParamtypes.BODY) && !isEmpty(req.body)) problems.push({ field: 'body', reason: 'this route takes no body' });
    if (!reads.has(RouteParamtypes.QUERY)) for (const key of Object.keys(req.query ?? {})) problems.push({ field: key, reason: `property ${key} should not exist` });
    if (problems.length) throw validationFailed(problems);
    return true;
  }
}
