import nodemailer, { type Transporter } from 'nodemailer';
import { failure, type Engine } from '@shenpi/engine';

/** How often new notifications are looked at and due e-mails sent. */
export const EMAIL_INTERVAL_MS = 2000;

export interface EmailSettings {
  /** `smtp://user:pass@host:587` or `smtps://…`; unset: no e-mail. */
  url: string;
  /** The sender, e.g. `审批系统 <shenpi@example.gov.cn>`. */
  from: string;
}

export function emailSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EmailSettings | undefined {
  const url = env.SMTP_URL?.trim();
  if (!url) return undefined;
  if (!/^smtps?:\/\//.test(url)) throw new Error(`SMTP_URL must start with smtp:// or smtps://, not "${url.split(':')[0]}:"`);
  return { url, from: env.SMTP_FROM?.trim() || 'shenpi@localhost' };
}

/**
 * Sends the e-mail outbox (libs/engine/email-outbox.ts) over SMTP: a pass queues what new
 * notifications call for, then sends each due e-mail once, recording success or a failure to retry
 * later. Runs where the processors run; a pass at a time.
 */
export class EmailDeliverer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private readonly transport: Transporter;

  constructor(
    private readonly engine: Engine,
    private readonly settings: EmailSettings,
    private readonly intervalMs = EMAIL_INTERVAL_MS,
  ) {
    // Bounded attempts (well inside the outbox's lease, EMAIL_LEASE_MS): a relay that hangs fails the attempt, to be retried.
    this.transport = nodemailer.createTransport({ url: settings.url, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 });
  }

  /** One pass: the e-mails sent, and the ones that failed this time. */
  async pass(): Promise<{ sent: number; failed: number }> {
    await this.engine.emails.queueNew();
    let sent = 0;
    let failed = 0;
    for (const e of await this.engine.emails.claimDue()) {
      try {
        await this.transport.sendMail({ from: this.settings.from, to: e.toAddress, subject: e.subject, text: e.body, textEncoding: 'base64' });
        await this.engine.emails.sent(e);
        sent++;
      } catch (err) {
        await this.engine.emails.failed(e, err instanceof Error ? err.message : String(err));
        failed++;
      }
    }
    return { sent, failed };
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.pass()).catch((err) => this.engine.log.error({ component: 'email', ...failure(err) }, 'e-mail pass failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }
}
