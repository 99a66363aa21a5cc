import { DomainError, ErrorCode, type Clock, type Principal } from '@shenpi/domain';
import { Repositories, type Database, type IdempotencyKeyRow } from '@shenpi/persistence';
import type { WriterQueue } from './writer-queue.js';

/** How long a key answers retries (as Stripe: a day); older keys are purged. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

/** An Idempotency-Key header and the fingerprint of the request that carried it. */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
}

/** The change a key guards was already committed: answer with its first result. */
export class IdempotentReplay extends Error {
  constructor(readonly record: IdempotencyKeyRow) {
    super('idempotent replay');
    this.name = 'IdempotentReplay';
  }
}

/**
 * Idempotency-Key for writes (issue: ambiguous commit). The key is claimed inside the change's own
 * transaction, so a committed change and its key are on disk together; a retry finds the key and
 * never applies the change twice. The answer is stored right after the commit; if the process died
 * in between, the retry's answer is rebuilt from the ids the key recorded.
 */
export class IdempotencyUseCase {
  private readonly reader: Repositories;

  constructor(
    database: Database,
    private readonly writer: WriterQueue,
    private readonly clock: Clock,
  ) {
    this.reader = new Repositories(database.reader);
  }

  /** In the change's transaction, before anything else: refuses a replay, or notes the key for `record`. */
  async check(repos: Repositories, principal: Principal, claim: IdempotencyClaim): Promise<void> {
    const prior = await repos.idempotency.get(principal.id, claim.key);
    if (prior) throw replayOrMisuse(prior, claim);
  }

  /** In the change's transaction, after its writes: the key and what it acted on. */
  record(repos: Repositories, principal: Principal, claim: IdempotencyClaim, refs: { documentId: string | null; taskId?: string | null }): Promise<void> {
    return repos.idempotency.insert({
      principalId: principal.id,
      key: claim.key,
      fingerprint: claim.fingerprint,
      documentId: refs.documentId,
      taskId: refs.taskId ?? null,
      createdAt: this.clock.now().toISOString(),
    });
  }

  /** A committed key, read outside any transaction: the replay (or a misuse error) when there is one. */
  async committed(principal: Principal, claim: IdempotencyClaim): Promise<IdempotentReplay | DomainError | undefined> {
    const prior = await this.reader.idempotency.get(principal.id, claim.key);
    return prior && replayOrMisuse(prior, claim);
  }

  storeResponse(principal: Principal, key: string, statusCode: number, response: unknown): Promise<void> {
    return this.writer.run((repos) => repos.idempotency.storeResponse(principal.id, key, statusCode, response));
  }

  purgeExpired(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - IDEMPOTENCY_RETENTION_HOURS * 3600_000).toISOString();
    return this.writer.run((repos) => repos.idempotency.purgeBefore(before));
  }
}

function replayOrMisuse(prior: IdempotencyKeyRow, claim: IdempotencyClaim): IdempotentReplay | DomainError {
  if (prior.fingerprint !== claim.fingerprint) {
    return new DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'this Idempotency-Key was already used for a different request', { key: claim.key });
  }
  return new IdempotentReplay(prior);
}
