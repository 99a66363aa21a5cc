import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { AuthSettings } from './auth-settings.js';
import { routeOf } from '../http/request-log.js';
import { PUBLIC_ROUTE, type AuthenticatedRequest } from './principal.decorator.js';

const bearerToken = (header: string) => (header.startsWith('Bearer ') ? header.slice(7).trim() : '');

/**
 * The caller an Authorization header names, or undefined: the guard's check, also run by the body
 * gate on upload routes before their bytes are read. One statement: the user, their roles, and
 * whether the token's epoch is still theirs (not disabled, not logged out).
 */
export async function principalOf(header: string, engine: Engine, settings: AuthSettings): Promise<Principal | undefined> {
  const token = bearerToken(header);
  const claims = token ? settings.tokens.verify(token, Math.floor(engine.clock.now().getTime() / 1000)) : null;
  return claims ? engine.authentication.principalForToken(claims.subject, claims.epoch) : undefined;
}

/**
 * Every route needs a valid bearer token unless marked @Public(); roles are re-read on each request,
 * and a token whose epoch is stale (password or roles changed, user disabled, logged out) is 401.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly engine: Engine,
    private readonly settings: AuthSettings,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest & FastifyRequest>();
    const header = req.headers.authorization ?? '';
    const principal = await principalOf(header, this.engine, this.settings);
    if (!principal) {
      const token = bearerToken(header);
      // Anonymous refusals are logged, not chained: they would let anyone grow the audit log.
      // By route pattern, never the URL: a token sent in its query would be written out.
      this.logger.warn({ msg: token ? 'refused: bad or expired token' : 'refused: no token', reqId: req.id, method: req.method, route: routeOf(req), status: 401, ip: req.ip ?? null });
      throw new DomainError(ErrorCode.UNAUTHENTICATED, token ? 'the token is invalid or expired' : 'a bearer token is required');
    }
    req.principal = principal;
    return true;
  }
}
