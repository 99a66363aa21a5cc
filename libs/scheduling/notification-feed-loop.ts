import { failure, type Engine } from '@shenpi/engine';

/** How often the notification feed reads the audit log for what is new (a pass with nothing new is one indexed read). */
export const FEED_INTERVAL_MS = 1000;

/**
 * Runs the engine's notification feed where the deadline processors run (the API on SQLite,
 * apps/worker on PostgreSQL): a pass at a time, never two at once; a failed pass is logged and the
 * next one does its work again.
 */
export class NotificationFeedLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: Engine,
    private readonly intervalMs = FEED_INTERVAL_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running
        .then(() => this.engine.notificationFeed.drain())
        .catch((err) => this.engine.log.error({ component: 'notification-feed', ...failure(err) }, 'notification feed pass failed; the next pass reads the same entries'));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
