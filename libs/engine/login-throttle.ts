import type { Clock } from '@shenpi/domain';

/**
 * Failed logins allowed within the window. Per account and address, and per address (password
 * spraying): then 429 until the oldest failure leaves the window. Per account from all addresses:
 * beyond it each attempt is answered only after a delay, doubling with each failure (at most a
 * minute), and then checked: never refused, so guessing from many addresses slows the owner down
 * but cannot keep them out.
 */
export const LOGIN_LIMITS = {
  perAccountAddress: 10,
  perAddress: 50,
  perAccount: 20,
  windowMs: 15 * 60_000,
  firstDelayMs: 1000,
  maxDelayMs: 60_000,
  /** An address the account logged in from is known to it for this long (see `reserve`). */
  knownForMs: 30 * 86_400_000,
};

export type LoginLimit = 'account-address' | 'address';

/** An attempt allowed: counted as a failure until `succeeded` releases it; checked after `delayMs`. */
export interface Reservation {
  ok: true;
  delayMs: number;
  succeeded(): void;
}

export interface Refusal {
  ok: false;
  retryAfterSeconds: number;
  limit: LoginLimit;
  /** The first refusal of this limit's spell: the one worth a security entry (repeats are only logged). */
  first: boolean;
}

/** Distinct keys tracked at most, per map; beyond it the oldest are forgotten, so a flood cannot grow memory. */
const MAX_KEYS = 100_000;

/**
 * The throttle key of a client address: IPv4 as is (also IPv4-mapped IPv6), IPv6 by its /64, the
 * block one subscriber gets, so an attacker cannot step through addresses of their own network.
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'local';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const bare = ip.split('%')[0].toLowerCase();
  const [head, tail] = bare.split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const backGroups = back.length + (back.some((g) => g.includes('.')) ? 1 : 0);
  const groups = [...front, ...Array(Math.max(0, 8 - front.length - backGroups)).fill('0'), ...back];
  return `${groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

/**
 * Slows password guessing. Counts live in this process (each API process limits on its own).
 *
 * An attempt is reserved, synchronously, before the password is checked: it counts as a failure
 * at once, so parallel attempts see each other and no more than the limit are ever checked; a
 * right password releases it. An address the account logged in from before is not held to the
 * account-wide wait nor the address's limit (its own pair limit still holds): the owner's usual
 * address (an office behind one NAT, say) stays open however much others guess.
 */
export class LoginThrottle {
  /**
   * Failures by kind of key, each kind capped on its own: a flood of new addresses or names
   * evicts only its own kind, never the counts of the accounts it is aimed at.
   */
  private readonly failuresByKind = { pair: new Map<string, number[]>(), address: new Map<string, number[]>(), account: new Map<string, number[]>() };
  private readonly known = new Map<string, number>();
  /** Until when each tripped limit's refusal has been announced (audited). */
  private readonly announced = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly limits = LOGIN_LIMITS,
  ) {}

  reserve(username: string, ip?: string): Reservation | Refusal {
    const now = this.clock.now().getTime();
    const account = `account:${username.toLowerCase()}`;
    const address = `address:${addressKey(ip)}`;
    const pair = `pair:${username.toLowerCase()}|${addressKey(ip)}`;
    const known = (this.known.get(pair) ?? -Infinity) > now - this.limits.knownForMs;

    const waits: [LoginLimit, string, number][] = [['account-address', pair, this.windowWait(pair, this.limits.perAccountAddress, now)]];
    if (!known) waits.push(['address', address, this.windowWait(address, this.limits.perAddress, now)]);
    const [limit, key, wait] = waits.reduce((a, b) => (b[2] > a[2] ? b : a));
    if (wait > 0) {
      // A spell lasts until its wait ends; only its first refusal is announced.
      const first = (this.announced.get(key) ?? 0) <= now;
      if (first) this.remember(this.announced, key, now + wait);
      return { ok: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)), first };
    }

    const delayMs = known ? 0 : this.accountDelay(account, now);
    for (const k of [pair, address, account]) this.remember(this.failuresOf(k), k, [...this.recent(k, now), now]);
    return {
      ok: true,
      delayMs,
      succeeded: () => {
        // The pair starts afresh; the address's and the account's other failures stay (not the owner's doing).
        this.failuresOf(pair).delete(pair);
        for (const k of [address, account]) this.release(k, now);
        this.remember(this.known, pair, now);
      },
    };
  }

  /** Until the oldest of the last `limit` failures leaves the window, when there are that many. */
  private windowWait(key: string, limit: number, now: number): number {
    const recent = this.recent(key, now);
    return recent.length >= limit ? recent[recent.length - limit] + this.limits.windowMs - now : 0;
  }

  /** Beyond perAccount failures, an attempt is answered firstDelayMs later, doubled per failure over, at most maxDelayMs. */
  private accountDelay(key: string, now: number): number {
    const over = this.recent(key, now).length - this.limits.perAccount;
    return over < 0 ? 0 : Math.min(this.limits.firstDelayMs * 2 ** over, this.limits.maxDelayMs);
  }

  private release(key: string, at: number): void {
    const list = this.failuresOf(key).get(key);
    const i = list?.lastIndexOf(at) ?? -1;
    if (i >= 0) list!.splice(i, 1);
  }

  private recent(key: string, now: number): number[] {
    return (this.failuresOf(key).get(key) ?? []).filter((at) => at > now - this.limits.windowMs);
  }

  private failuresOf(key: string): Map<string, number[]> {
    return this.failuresByKind[key.slice(0, key.indexOf(':')) as keyof typeof this.failuresByKind];
  }

  /** Re-inserted last, so the oldest keys are the ones forgotten first. */
  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    while (map.size > MAX_KEYS) map.delete(map.keys().next().value!);
  }
}
