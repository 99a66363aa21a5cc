import type { Alarm, AlarmClock } from '@shenpi/domain';
import type { Engine } from '@shenpi/engine';

/**
 * The scheduler when no Redis is configured: fires due rows every `intervalMs`, and sooner when a
 * commit says a row falls due before the next pass. Deadlines are rows, so a restart loses nothing.
 */
export class EmbeddedPoller implements AlarmClock {
  private interval: NodeJS.Timeout | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private running: Promise<number> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.interval = setInterval(() => void this.tick(), this.intervalMs);
    this.interval.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.running;
  }

  /** One pass: fires everything due now. Overlapping calls share the pass in progress. */
  tick(): Promise<number> {
    this.running ??= this.engine.deadlines.fireDue().finally(() => (this.running = null));
    return this.running.catch((err) => {
      console.error(`deadline poller: ${err instanceof Error ? err.message : err}`);
      return 0;
    });
  }

  wake(alarms: readonly Alarm[]): void {
    if (!this.interval) return;
    const now = this.engine.clock.now().getTime();
    const soonest = Math.min(...alarms.map((a) => Date.parse(a.fireAt)));
    const delay = soonest - now;
    if (!Number.isFinite(delay) || delay >= this.intervalMs) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.tick();
    }, Math.max(0, delay));
    timer.unref();
    this.timers.add(timer);
  }
}
