import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@shenpi/domain';

export const PUBLIC_ROUTE = 'shenpi:public';

/** Marks a route that needs no token (login, health). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export interface AuthenticatedRequest {
  principal?: Principal;
  params: Record<string, string>;
  ip?: string;
}

/** The authenticated caller, set by the auth guard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal!,
);
