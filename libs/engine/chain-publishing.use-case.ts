import type { LintResult } from '@shenpi/chains';
import { AccessDenied, ErrorCode, isGlobalAdmin, systemActor, type Actor, type Principal } from '@shenpi/domain';
import { Repositories, type Database } from '@shenpi/persistence';
import type { ChainCatalog } from './chain-catalog.js';
import type { ChainLinter } from './chain-lint/chain-linter.js';
import type { WriterQueue } from './writer-queue.js';

/**
 * Administrators validate and publish chain definitions (as version N+1 of their key); the
 * operator's command line publishes as the system. Who exists is read on the read connection and
 * the lint runs on its own thread within a budget, so neither the event loop nor the writers wait
 * for it: the writer only stores a definition already linted.
 */
export class ChainPublishingUseCase {
  private readonly reader: Repositories;

  constructor(
    database: Database,
    private readonly writer: WriterQueue,
    private readonly chains: ChainCatalog,
    private readonly linter: ChainLinter,
  ) {
    this.reader = new Repositories(database.reader);
  }

  async validate(p: Principal, definition: unknown): Promise<Pick<LintResult, 'valid' | 'errors' | 'warnings'>> {
    requireAdmin(p, 'validate-chain');
    const { valid, errors, warnings } = await this.lint(definition);
    return { valid, errors, warnings };
  }

  async publish(p: Principal, definition: unknown) {
    requireAdmin(p, 'publish-chain');
    const actor: Actor = { type: 'user', id: p.id, role: 'admin', departmentId: null, onBehalfOf: null };
    const lint = await this.lint(definition);
    return this.writer.run((repos) => this.chains.publish(repos, definition, actor, lint));
  }

  /** `shenpi chain publish`: the operator at the machine, audited as the system's command line. */
  async publishFromCli(definition: unknown) {
    const lint = await this.lint(definition);
    return this.writer.run((repos) => this.chains.publish(repos, definition, systemActor('cli'), lint));
  }

  private async lint(definition: unknown): Promise<LintResult> {
    return this.linter.lint(definition, await this.chains.lintDirectory(this.reader, definition));
  }
}

function requireAdmin(p: Principal, action: string): void {
  if (!isGlobalAdmin(p)) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only administrators configure chains', { action });
}
