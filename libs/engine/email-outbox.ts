import { newId, type Clock, type Principal } from '@shenpi/domain';
import type { EmailRow, Repositories } from '@shenpi/persistence';
import { changedSettings, mailTo, settingsOf, type NotificationSettings } from './notification-settings.js';
import type { WriterQueue } from './writer-queue.js';

/** Notifications read per pass; older than this they are not mailed (e-mail switched on later does not send a backlog). */
const BATCH = 200;
const MAX_AGE_MS = 24 * 3600_000;
/** Attempts before an e-mail is given up; between them 1, 2, 4 … minutes, at most an hour. */
const MAX_ATTEMPTS = 8;
/** Longer than the deliverer's SMTP timeouts allow one attempt to take: no second deliverer sends it meanwhile. */
export const EMAIL_LEASE_MS = 5 * 60_000;

/**
 * E-mail for notifications, through an outbox: every notification, whoever wrote it (the feed, a
 * reminder, an urge), is looked at once; where its user set an address and wants its kind by e-mail,
 * an e-mail row is queued in the same transaction that marks it looked at. The deliverer
 * (libs/scheduling) claims due rows, sends, and records the outcome with backoff. Nothing here runs in
 * a decision's transaction.
 */
export class EmailOutbox {
  constructor(
    private readonly writer: WriterQueue,
    private readonly clock: Clock,
  ) {}

  /** Queues the e-mails the new notifications call for, a batch per transaction until none is left; returns how many were queued. */
  async queueNew(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - MAX_AGE_MS).toISOString();
    await this.writer.run((repos) => repos.notifications.markOldUnmailed(cutoff, 'too-old'));
    let queued = 0;
    for (;;) {
      const pass = await this.writer.run((repos) => this.queueBatch(repos));
      queued += pass.queued;
      if (pass.read < BATCH) return queued;
    }
  }

  private async queueBatch(repos: Repositories): Promise<{ read: number; queued: number }> {
    const now = this.clock.now();
    const rows = await repos.notifications.unmailed(BATCH);
    const marks = new Map<string, string[]>();
    const mark = (state: string, id: string) => marks.set(state, [...(marks.get(state) ?? []), id]);
    let queued = 0;
    for (const n of rows) {
      const to = n.disabled ? null : mailTo(settingsOf(n.settings), n.kind);
      if (!to) mark('not-wanted', n.id);
      else {
        const [zh, en] = n.message.split(' / ');
        await repos.emails.insert({
          id: newId(),
          notificationId: n.id,
          toAddress: to,
          subject: `【审批通知】${zh}`.slice(0, 200),
          body: `${zh}\n${en ?? ''}\n\n${n.documentId ? `文稿 / Document: ${n.documentId}\n` : ''}(${n.kind}, ${n.createdAt})\n`,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now.toISOString(),
          lastError: null,
          createdAt: now.toISOString(),
          sentAt: null,
        });
        mark('queued', n.id);
        queued++;
      }
    }
    for (const [state, ids] of marks) await repos.notifications.markMailed(ids, state);
    return { read: rows.length, queued };
  }

  /** Due e-mails, each claimed for one attempt. */
  async claimDue(limit = 20): Promise<EmailRow[]> {
    return this.writer.run(async (repos) => {
      const now = this.clock.now();
      const claimed: EmailRow[] = [];
      for (const e of await repos.emails.due(now.toISOString(), limit)) {
        if (await repos.emails.claim(e.id, now.toISOString(), new Date(now.getTime() + EMAIL_LEASE_MS).toISOString())) claimed.push({ ...e, attempts: e.attempts + 1 });
      }
      return claimed;
    });
  }

  sent(e: EmailRow): Promise<void> {
    return this.writer.run((repos) => repos.emails.sent(e.id, e.attempts, this.clock.now().toISOString()));
  }

  failed(e: EmailRow, error: string): Promise<void> {
    const retryAt = e.attempts >= MAX_ATTEMPTS ? null : new Date(this.clock.now().getTime() + Math.min(3600_000, 60_000 * 2 ** (e.attempts - 1))).toISOString();
    return this.writer.run((repos) => repos.emails.attemptFailed(e.id, e.attempts, error, retryAt));
  }

  /** The caller's own settings. */
  settings(p: Principal): Promise<NotificationSettings> {
    return this.writer.run(async (repos) => settingsOf(await repos.directory.notificationSettings(p.id)));
  }

  /** Changes the caller's own settings (only theirs: nothing in the body names a user). */
  changeSettings(p: Principal, input: unknown): Promise<NotificationSettings> {
    return this.writer.run(async (repos) => {
      const next = changedSettings(settingsOf(await repos.directory.notificationSettings(p.id)), input);
      await repos.directory.setNotificationSettings(p.id, JSON.stringify(next));
      return next;
    });
  }
}
