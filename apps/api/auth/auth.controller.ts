import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { DomainError, ErrorCode, type Principal } from '@shenpi/domain';
import { Engine, type Authenticated } from '@shenpi/engine';
import { AuthSettings } from './auth-settings.js';
import { signJwt } from './jwt.js';
import { CurrentPrincipal, Public } from './principal.decorator.js';
import { ApiDoc } from '../openapi/route-doc.js';

export class LoginDto {
  @IsString() @MinLength(1) @MaxLength(64) username: string;
  @IsString() @MinLength(1) @MaxLength(256) password: string;
}

/** A password someone else set is replaced by one the user chooses (held to the policy); the current one proves who they are, as at login. */
export class ChangePasswordDto {
  @IsString() @MinLength(1) @MaxLength(64) username: string;
  @IsString() @MinLength(1) @MaxLength(256) password: string;
  @IsString() @MinLength(1) @MaxLength(256) newPassword: string;
}

const me = (p: Principal) => ({
  id: p.id,
  username: p.username,
  displayName: p.displayName,
  roles: p.grants.map((g) => ({ role: g.role, departmentId: g.departmentId })),
});

@Controller('api')
export class AuthController {
  constructor(
    private readonly engine: Engine,
    private readonly settings: AuthSettings,
  ) {}

  @ApiDoc({ summary: 'Log in: a bearer token and who the caller is', ok: 'Session', errors: [401, 403, 429], examples: { request: { username: 'drafter', password: 'a-password' } } })
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Req() req: { ip?: string }) {
    return this.session(await this.engine.authentication.login(body.username, body.password, { ip: req.ip }));
  }

  /** Answers as a login does, with a token for the new password; every earlier session has ended. */
  @ApiDoc({ summary: 'Replace a password someone else set (or one\'s own); answers as a login', ok: 'Session', errors: [401, 429] })
  @Public()
  @Post('auth/password')
  @HttpCode(200)
  async changePassword(@Body() body: ChangePasswordDto, @Req() req: { ip?: string }) {
    return this.session(await this.engine.authentication.changePassword(body.username, body.password, body.newPassword, { ip: req.ip }));
  }

  private session(principal: Authenticated | null) {
    if (!principal) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'wrong username or password');
    const now = Math.floor(this.engine.clock.now().getTime() / 1000);
    return {
      accessToken: signJwt(principal.id, this.settings.secret, now, this.settings.ttlSeconds, principal.tokenEpoch),
      tokenType: 'Bearer',
      expiresIn: this.settings.ttlSeconds,
      user: me(principal),
    };
  }

  /**
   * Revokes the token. Tokens are not stored, so this bumps the user's token epoch: logout ends
   * every session of the user, on every device, not only this one.
   */
  @ApiDoc({ summary: 'Log out: every session of the caller ends' })
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.engine.authentication.logout(principal);
  }

  @ApiDoc({ summary: 'The caller and their roles', ok: 'Me' })
  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return me(principal);
  }
}
