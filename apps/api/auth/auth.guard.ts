import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { AuthSettings } from './auth-settings.js';
import { verifyJwt } from './jwt.js';
import { PUBLIC_ROUTE, type AuthenticatedRequest } from './principal.decorator.js';

/** Every route needs a valid bearer token unless marked @Public(); roles are re-read on each request. */
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
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest & { headers: Record<string, string | undefined>; url: string }>();
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const userId = token ? verifyJwt(token, this.settings.secret, Math.floor(this.engine.clock.now().getTime() / 1000)) : null;
    const principal = userId ? await this.engine.authentication.principal(userId) : undefined;
    if (!principal) {
      // Anonymous refusals are logged, not chained: they would let anyone grow the audit log.
      this.logger.warn(`401 ${req.url} from ${req.ip ?? 'unknown'}: ${token ? 'bad or expired token' : 'no token'}`);
      throw new DomainError(ErrorCode.UNAUTHENTICATED, token ? 'the token is invalid or expired' : 'a bearer token is required');
    }
    req.principal = principal;
    return true;
  }
}
