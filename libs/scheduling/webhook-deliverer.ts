import { createHmac } from 'node:crypto';
import type { Engine } from '@shenpi/engine';

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed' | 'skipped';

/** HMAC-SHA256 of the exact body, hex: what a receiver recomputes with the shared secret. */
export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 3_600_000;
/** How long a receiver may be away before a delivery is given up (and stays `failed` in the outbox). */
const GIVE_UP_AFTER_MS = 72 * 3_600_000;

/**
 * Sends outbox rows: one POST per attempt, signed; a 2xx is delivered, anything else is retried
 * with exponential backoff (1 s, 2 s, 4 s … at most an hour between tries) for up to 72 hours. The claim
 * leases the row first, so a worker that dies mid-send leaves it to be retried, not lost.
 */
export class WebhookDeliverer {
  constructor(
    private readonly engine: Engine,
    private readonly secret: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async deliver(id: string): Promise<DeliveryOutcome> {
    const row = await this.engine.webhookDeliveries.lease(id, new Date(this.engine.clock.now().getTime() + LEASE_MS));
    if (!row) return 'skipped';
    let error: string;
    try {
      const res = await fetch(row.url, {
        method: 'POST',
        body: row.body,
        headers: {
          'content-type': 'application/json',
          'x-shenpi-signature': signBody(this.secret, row.body),
          'x-shenpi-delivery': row.id,
          'x-shenpi-event': 'transition',
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (res.ok) {
        await this.engine.webhookDeliveries.delivered(id);
        return 'delivered';
      }
      error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const at = this.engine.clock.now().getTime() + Math.min(1000 * 2 ** Math.min(row.attempts - 1, 30), MAX_BACKOFF_MS);
    const retry = at - Date.parse(row.createdAt) <= GIVE_UP_AFTER_MS;
    const next = retry ? new Date(at).toISOString() : null;
    await this.engine.webhookDeliveries.attemptFailed(id, error, next);
    return retry ? 'retry' : 'failed';
  }

  /** Attempts every delivery due now; returns how many were delivered. */
  async deliverDue(limit = 200): Promise<number> {
    const due = await this.engine.webhookDeliveries.due(limit);
    let delivered = 0;
    await Promise.all(due.map(async (row) => ((await this.deliver(row.id)) === 'delivered' ? delivered++ : 0)));
    return delivered;
  }
}
