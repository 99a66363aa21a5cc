import { sweepOpenRoleTasks } from '@shenpi/persistence';
import { failure, type Log } from './log.js';
import type { WriterQueue } from './writer-queue.js';

/** Changes between two sweeps, and the most closings one sweep takes out. */
export const SWEEP_EVERY_JOBS = 2_000;
export const SWEEP_BATCH = 5_000;

/**
 * SQLite: takes closed tasks out of the list of a role's open tasks (migration 1767100000000) after
 * every SWEEP_EVERY_JOBS writer jobs, in writer jobs of its own (one per SWEEP_BATCH closings, until
 * the queue is empty): removed together, many entries share each page written, where one per decision
 * took a page each. Until then the inbox reads past them.
 */
export class OpenInboxSweeper {
  private since = 0;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly writer: WriterQueue,
    private readonly log: Log,
  ) {}

  /** After each commit, the jobs it carried. */
  committed(jobs: number): void {
    this.since += jobs;
    if (this.since < SWEEP_EVERY_JOBS || this.sweeping || this.stopped) return;
    this.since = 0;
    this.sweeping = this.sweepAll()
      .catch((err) => this.log.error({ component: 'open-inbox-sweeper', ...failure(err) }, 'closed tasks not swept from the open inbox (the next sweep retries)'))
      .finally(() => (this.sweeping = undefined));
  }

  /** Before the writer closes: no sweep starts, and the one under way ends. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.sweeping;
  }

  private async sweepAll(): Promise<void> {
    while (!this.stopped && (await this.sweep()) === SWEEP_BATCH);
  }

  /** Sweeps now; the number of closings taken out. */
  sweep(): Promise<number> {
    return this.writer.run((repos) => sweepOpenRoleTasks(repos.sql, SWEEP_BATCH));
  }
}
