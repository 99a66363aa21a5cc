import type { AuditEntry } from '@shenpi/audit';
import { newId, type Clock } from '@shenpi/domain';
import type { Repositories } from '@shenpi/persistence';

export interface WebhookConfig {
  urls: string[];
}

/**
 * Every audited transition (human decisions, reminders, escalations, automatic actions) is
 * written to the outbox in the same transaction as its audit entry, once per configured URL; the
 * scheduler delivers and retries. Other government systems follow a document without polling.
 */
export class WebhookOutbox {
  constructor(
    private readonly config: WebhookConfig,
    private readonly clock: Clock,
  ) {}

  readonly record = async (repos: Repositories, entry: AuditEntry): Promise<void> => {
    if (entry.category !== 'transition' || !this.config.urls.length) return;
    const at = this.clock.now().toISOString();
    for (const url of this.config.urls) {
      // The delivery id is inside the signed body, so a replayed body is recognisably the same delivery.
      const id = newId();
      await repos.webhooks.insert({
        id,
        url,
        auditSeq: entry.seq,
        body: JSON.stringify({ event: 'transition', deliveryId: id, entry }),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        lastError: null,
        createdAt: at,
        deliveredAt: null,
      });
    }
  };
}
