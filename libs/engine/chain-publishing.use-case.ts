import type { LintResult } from '@shenpi/chains';
import { AccessDenied, ErrorCode, isGlobalAdmin, systemActor, type Actor, type Principal } from '@shenpi/domain';
import { Repositories, type Database } from '@shenpi/persistence';
import type { ChainCatalog } from './chain-catalog.js';
import type { WriterQueue } from './writer-queue.js';

/**
 * Administrators validate and publish chain definitions (as version N+1 of their key); the
 * operator's command line publishes as the system. Validation only reads, so it runs on the read
 * connection and never holds up the writers.
 */
export class ChainPublishingUseCase {
  private readonly reader: Repositories;

  constructor(
    database: Database,
    private readonly writer: WriterQueue,
    private readonly chains: ChainCatalog,
  ) {
    this.reader = new Repositories(database.reader);
  }

  async validate(p: Principal, definition: unknown): Promise<Pick<LintResult, 'valid' | 'errors' | 'warnings'>> {
    requireAdmin(p, 'validate-chain');
    const { valid, errors, warnings } = await this.chains.lint(this.reader, definition);
    return { valid, errors, warnings };
  }

  publish(p: Principal, definition: unknown) {
    requireAdmin(p, 'publish-chain');
    const actor: Actor = { type: 'user', id: p.id, role: 'admin', departmentId: null, onBehalfOf: null };
    return this.writer.run((repos) => this.chains.publish(repos, definition, actor));
  }

  /** `shenpi chain publish`: the operator at the machine, audited as the system's command line. */
  publishFromCli(definition: unknown) {
    return this.writer.run((repos) => this.chains.publish(repos, definition, systemActor('cli')));
  }
}

function requireAdmin(p: Principal, action: string): void {
  if (!isGlobalAdmin(p)) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only administrators configure chains', { action });
}
