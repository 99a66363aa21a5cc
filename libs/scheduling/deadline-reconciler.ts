import type { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import type { DeadlineQueue } from './deadline-queue.js';

const PAGE = 1000;

/**
 * Redis is only the alarm clock: at start-up and periodically, every pending row already due is
 * fired here, and every later one is (re-)enqueued. A flushed Redis or a crashed worker loses nothing.
 */
export class DeadlineReconciler {
  private interval: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly queue: DeadlineQueue,
    private readonly intervalMs = 60_000,
  ) {}

  start(): void {
    this.interval = setInterval(() => void this.tick().catch((err) => console.error(`deadline reconciler: ${err}`)), this.intervalMs);
    this.interval.unref();
  }

  stop(): void {
    clearInterval(this.interval);
  }

  /** Returns how many rows it fired and how many it re-enqueued. */
  async tick(): Promise<{ fired: number; enqueued: number }> {
    const fired = await this.engine.deadlines.fireDue();
    const reader = new Repositories(this.engine.database.reader);
    const now = this.engine.clock.now().getTime();
    let enqueued = 0;
    for (let after = ''; ; ) {
      const page = await reader.deadlines.pendingPage(after, PAGE);
      if (!page.length) break;
      const rows = page.filter((r) => Date.parse(r.fireAt) > now);
      await this.queue.enqueue(rows, now);
      enqueued += rows.length;
      after = page[page.length - 1].id;
      if (page.length < PAGE) break;
    }
    return { fired, enqueued };
  }
}
