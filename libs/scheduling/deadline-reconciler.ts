import type { Alarm } from '@shenpi/domain';
import { failure, type Engine } from '@shenpi/engine';
import type { AlarmQueue } from './alarm-queue.js';
import type { WebhookDeliverer } from './webhook-deliverer.js';

const PAGE = 1000;

/**
 * Redis is only the alarm clock: at start-up and periodically, every pending row already due is
 * fired (or delivered) here, and every later one is (re-)enqueued. A flushed Redis or a crashed
 * worker loses nothing.
 */
export class DeadlineReconciler {
  private interval: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly deadlines: AlarmQueue,
    private readonly webhooks?: { queue: AlarmQueue; deliverer: WebhookDeliverer },
    private readonly intervalMs = 60_000,
  ) {}

  /** Starts the periodic pass and runs the first one now, without waiting for it: Redis may be down. */
  start(): void {
    const run = () => void this.tick().catch((err) => this.failed(err, 're-enqueueing'));
    this.interval = setInterval(run, this.intervalMs);
    this.interval.unref();
    run();
  }

  stop(): void {
    clearInterval(this.interval);
  }

  private failed(err: unknown, stage: 'firing' | 're-enqueueing'): void {
    this.engine.log.error({ component: 'reconciler', stage, ...failure(err) }, 'reconciler pass failed; the next one does its work again');
  }

  /** Returns how many rows it fired and how many it re-enqueued. */
  async tick(): Promise<{ fired: number; enqueued: number }> {
    // Firing what is due needs only the database: it must not wait on, or fail with, Redis.
    let fired = 0;
    try {
      fired = await this.engine.deadlines.fireDue();
      if (this.webhooks) await this.webhooks.deliverer.deliverDue();
    } catch (err) {
      this.failed(err, 'firing');
    }
    const now = this.engine.clock.now().getTime();
    let enqueued = 0;
    const later = (alarms: Alarm[]) => alarms.filter((a) => Date.parse(a.fireAt) > now);
    for (let after = ''; ; ) {
      const page = await this.engine.deadlines.pendingPage(after, PAGE);
      if (!page.length) break;
      const alarms = later(page.map((r) => ({ kind: 'deadline' as const, id: r.id, fireAt: r.fireAt, version: r.version })));
      await this.deadlines.enqueue(alarms, now);
      enqueued += alarms.length;
      after = page[page.length - 1].id;
      if (page.length < PAGE) break;
    }
    for (let after = ''; this.webhooks; ) {
      const page = await this.engine.webhookDeliveries.pendingPage(after, PAGE);
      if (!page.length) break;
      await this.webhooks.queue.enqueue(later(page.map((r) => ({ kind: 'webhook' as const, id: r.id, fireAt: r.nextAttemptAt, version: r.attempts }))), now);
      after = page[page.length - 1].id;
      if (page.length < PAGE) break;
    }
    return { fired, enqueued };
  }
}
