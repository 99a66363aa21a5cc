import type { Alarm, AlarmClock } from '@shenpi/domain';
import { failure, type Engine } from '@shenpi/engine';
import type { WebhookDeliverer } from './webhook-deliverer.js';

/** Never re-arm sooner than this: rows due "now" that did not fire wait for the next pass. */
const MIN_REARM_MS = 10;

/**
 * The scheduler when no Redis is configured. After each pass it arms one timer for the earliest
 * pending row (at most `intervalMs` away, so rows written by another process are found too), and a
 * commit that writes an earlier row re-arms it. Deadlines are rows, so a restart loses nothing.
 */
export class EmbeddedPoller implements AlarmClock {
  private armed: { at: number; timer: NodeJS.Timeout } | null = null;
  private running: Promise<number> | null = null;
  private started = false;

  constructor(
    private readonly engine: Engine,
    private readonly intervalMs = 1000,
    private readonly deliverer?: WebhookDeliverer,
  ) {}

  start(): void {
    this.started = true;
    void this.tick();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.armed) clearTimeout(this.armed.timer);
    this.armed = null;
    await this.running;
  }

  /** One pass: fires everything due now. Overlapping calls share the pass in progress. */
  tick(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  wake(alarms: readonly Alarm[]): void {
    if (alarms.length) this.arm(Math.min(...alarms.map((a) => Date.parse(a.fireAt))));
  }

  private async pass(): Promise<number> {
    let fired = 0;
    let failed = false;
    try {
      fired = await this.engine.deadlines.fireDue();
      await this.deliverer?.deliverDue();
    } catch (err) {
      failed = true;
      this.engine.log.error({ component: 'deadline-poller', ...failure(err) }, 'deadline pass failed; the next one tries again');
    }
    const now = this.engine.clock.now().getTime();
    const next: (string | null)[] = await Promise.all([this.engine.deadlines.nextFireAt(), this.deliverer ? this.engine.webhookDeliveries.nextAttemptAt() : null]).catch(() => []);
    const soonest = Math.min(...next.filter((n): n is string => !!n).map((n) => Date.parse(n)), now + this.intervalMs);
    // After a failure, wait a full interval: a row that keeps failing must not make the poller spin.
    this.arm(failed ? now + this.intervalMs : Math.max(soonest, now + MIN_REARM_MS));
    return fired;
  }

  private arm(at: number): void {
    if (!this.started || (this.armed && this.armed.at <= at)) return;
    if (this.armed) clearTimeout(this.armed.timer);
    const timer = setTimeout(() => {
      this.armed = null;
      void this.tick();
    }, Math.max(0, at - this.engine.clock.now().getTime()));
    timer.unref();
    this.armed = { at, timer };
  }
}
