import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { AccessDenied, ErrorCode, isGlobalAdmin, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';

/** Chains: anyone reads them; administrators validate and publish new versions (steps, deadlines, reminders, escalation). */
@Controller('api/chains')
export class ChainsController {
  constructor(private readonly engine: Engine) {}

  @Get()
  list() {
    return this.engine.queries.chainList();
  }

  @Get(':key/versions/:version')
  version(@Param('key') key: string, @Param('version') version: string) {
    return this.engine.queries.chainVersion(key, /^\d{1,10}$/.test(version) ? Number(version) : -1);
  }

  /** Lint without publishing: `{ valid, errors: [{ path, reason }], warnings }`. */
  @Post('validate')
  @HttpCode(200)
  async validate(@CurrentPrincipal() principal: Principal, @Body() definition: Record<string, unknown>) {
    this.requireAdmin(principal, 'validate-chain');
    const { valid, errors, warnings } = await this.engine.writer.run((repos) => this.engine.chains.lint(repos, definition));
    return { valid, errors, warnings };
  }

  /** Version N+1 of the chain's key (or version 1 of a new key); running documents keep theirs. */
  @Post()
  async publish(@CurrentPrincipal() principal: Principal, @Body() definition: Record<string, unknown>) {
    this.requireAdmin(principal, 'publish-chain');
    const actor = { type: 'user' as const, id: principal.id, role: 'admin' as const, departmentId: null, onBehalfOf: null };
    const { key, version } = await this.engine.writer.run((repos) => this.engine.chains.publish(repos, definition, actor));
    return { key, version };
  }

  private requireAdmin(p: Principal, action: string) {
    if (!isGlobalAdmin(p)) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only administrators configure chains', { action });
  }
}
