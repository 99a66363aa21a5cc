import type { Clock } from '@shenpi/domain';

/** Failed logins allowed per window, by username and by client address, before refusing with 429. */
export const LOGIN_LIMITS = { perUser: 10, perAddress: 50, windowMs: 15 * 60_000 };

/** Distinct keys tracked at most; beyond it the oldest are forgotten, so a flood cannot grow memory. */
const MAX_KEYS = 100_000;

/**
 * Slows down password guessing: after too many failures for a username (or from an address)
 * within the window, attempts are refused before the password is even checked. Counts live in
 * this process (each API process limits on its own).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits = LOGIN_LIMITS,
  ) {}

  /** Seconds until the next attempt may be tried, or 0 when it may be tried now. */
  retryAfter(username: string, address?: string): number {
    const now = this.clock.now().getTime();
    let wait = 0;
    for (const [key, limit] of this.keys(username, address)) {
      const recent = this.recent(key, now);
      if (recent.length >= limit) wait = Math.max(wait, recent[recent.length - limit] + this.limits.windowMs - now);
    }
    return Math.ceil(wait / 1000);
  }

  failed(username: string, address?: string): void {
    const now = this.clock.now().getTime();
    for (const [key] of this.keys(username, address)) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.delete(key);
      this.failures.set(key, recent);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  /** A correct password clears the username's failures (not the address's). */
  succeeded(username: string): void {
    this.failures.delete(`user:${username.toLowerCase()}`);
  }

  private keys(username: string, address?: string): [string, number][] {
    const keys: [string, number][] = [[`user:${username.toLowerCase()}`, this.limits.perUser]];
    if (address) keys.push([`ip:${address}`, this.limits.perAddress]);
    return keys;
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > now - this.limits.windowMs);
  }
}
