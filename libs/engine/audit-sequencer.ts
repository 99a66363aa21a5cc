import type { AuditLog } from '@shenpi/audit';
import { Repositories, type Database } from '@shenpi/persistence';
import { failure, type Log } from './log.js';
import type { WriterQueue } from './writer-queue.js';

/** Entries moved from the intake into the log per transaction. */
const BATCH = 1_000;
/** How often a process looks for entries no sequencer took (another process's, one that died). */
const POLL_MS = 250;
/** Waits kept for the bench's percentiles. */
const KEEP_WAITS = 100_000;

/**
 * PostgreSQL's audit sequencer. A decision's transaction leaves its audit entry in the intake and
 * holds no lock another decision needs. After its commit the caller waits here until a drain that
 * began after that commit has run: the answer goes out with the entry in the log, and every
 * caller that committed meanwhile shares the same drain (group sequencing). Each batch is one
 * transaction under an advisory lock (`AuditLog.sequence`): whichever process holds it sequences,
 * and one that dies mid-batch rolls back and leaves the entries to the next, found by every
 * process's poll: no gap, no seq given twice. On SQLite entries are chained as they are written.
 */
export class AuditSequencer {
  /** Batches and entries this process sequenced, and how long entries waited (ms since their time). */
  readonly stats = { batches: 0, entries: 0, waitedMs: [] as number[] };
  /** After each batch, how long its entries waited (the engine's observer: sequencer lag). */
  sequenced: (waitedMs: readonly number[]) => void = () => undefined;
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The poll under way, if any: one at a time, awaited by `stop`. */
  private polling: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    private readonly writer: WriterQueue,
    private readonly audit: AuditLog,
    private readonly log: Log,
  ) {}

  private get active(): boolean {
    return this.database.kind === 'postgres';
  }

  start(): void {
    if (!this.active || this.timer) return;
    this.timer = setInterval(() => {
      // A poll never throws out of the timer (a database outage must not end the process); one at a time.
      this.polling ??= this.flush()
        .catch((err) => this.failed(err))
        .finally(() => (this.polling = null));
    }, POLL_MS).unref();
  }

  /**
   * Resolves once every entry committed before the call is in the log (or a drain failed: the
   * entries stay in the intake for the next one; the error is logged, the caller's commit stands).
   */
  settle(): Promise<void> {
    if (!this.active) return Promise.resolve();
    // A drain already running may have read the intake before this caller's commit: wait for the next.
    this.next ??= (this.running ?? Promise.resolve()).then(() => {
      this.next = null;
      return (this.running = this.drain()
        .catch((err) => this.failed(err))
        .finally(() => {
          this.running = null;
        }));
    });
    return this.next;
  }

  /** `settle`, skipped when nothing waits (one read): audit reads, verify and tree heads call it first. */
  async flush(): Promise<void> {
    if (this.active && (await new Repositories(this.database.reader).audit.anyPending())) await this.settle();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    await this.flush().catch(() => undefined);
  }

  /** Logged, not thrown: the entries stay in the intake for the next drain. */
  private failed(err: unknown): void {
    this.log.error({ component: 'audit-sequencer', ...failure(err) }, 'audit sequencing failed; the entries wait in the intake');
  }

  private async drain(): Promise<void> {
    for (;;) {
      const { sequenced, waitedMs } = await this.writer.run((repos) => this.audit.sequence(repos, BATCH));
      if (sequenced) {
        this.stats.batches++;
        this.stats.entries += sequenced;
        this.stats.waitedMs.push(...waitedMs);
        this.sequenced(waitedMs);
        if (this.stats.waitedMs.length > KEEP_WAITS) this.stats.waitedMs.splice(0, this.stats.waitedMs.length - KEEP_WAITS);
      }
      if (sequenced < BATCH) return;
    }
  }
}
