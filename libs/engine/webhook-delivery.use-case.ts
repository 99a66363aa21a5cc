import type { Clock } from '@shenpi/domain';
import { Repositories, type Database, type WebhookDeliveryRow } from '@shenpi/persistence';
import type { WriterQueue } from './writer-queue.js';

/**
 * The webhook outbox as its deliverer sees it: lease a row, record the outcome, and find what is
 * due or pending. The sending itself (HTTP, signatures, backoff) is libs/scheduling's.
 */
export class WebhookDeliveryUseCase {
  private readonly reader: Repositories;

  constructor(
    database: Database,
    private readonly writer: WriterQueue,
    private readonly clock: Clock,
  ) {
    this.reader = new Repositories(database.reader);
  }

  /** Leases the row until `leaseUntil`; undefined when another worker holds it or it is no longer pending. */
  lease(id: string, leaseUntil: Date): Promise<WebhookDeliveryRow | undefined> {
    const now = this.clock.now().toISOString();
    return this.writer.run(async (repos) => ((await repos.webhooks.claim(id, now, leaseUntil.toISOString())) ? repos.webhooks.get(id) : undefined));
  }

  delivered(id: string): Promise<void> {
    return this.writer.run((repos) => repos.webhooks.delivered(id, this.clock.now().toISOString()));
  }

  /** A failed attempt; `nextAttemptAt` null gives the delivery up. */
  attemptFailed(id: string, error: string, nextAttemptAt: string | null): Promise<void> {
    return this.writer.run((repos) => repos.webhooks.attemptFailed(id, error, nextAttemptAt));
  }

  due(limit: number): Promise<WebhookDeliveryRow[]> {
    return this.reader.webhooks.due(this.clock.now().toISOString(), limit);
  }

  /** Pending rows by id, a page at a time (the reconciler re-enqueues them). */
  pendingPage(afterId: string, limit: number): Promise<WebhookDeliveryRow[]> {
    return this.reader.webhooks.pendingPage(afterId, limit);
  }

  nextAttemptAt(): Promise<string | null> {
    return this.reader.webhooks.nextAttemptAt();
  }
}
