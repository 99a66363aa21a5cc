import type { Sql } from '../sql.js';

/** An out-of-office window: tasks that reach `userId` between `startsAt` and `endsAt` go to `substituteId`. */
export interface ProxyRow {
  id: string;
  userId: string;
  substituteId: string;
  startsAt: string;
  endsAt: string;
  createdAt: string;
  cancelledAt: string | null;
}

type RawProxy = Record<string, string | null>;
const COLUMNS = 'id, user_id, substitute_id, starts_at, ends_at, created_at, cancelled_at';

/**
 * A window `p` that holds at an instant (bound twice, `?` and `?`): the latest such window of a user
 * is the one that counts. A window whose substitute has since been disabled holds no more: work
 * never goes to someone who cannot log in.
 */
export const ACTIVE_WINDOW =
  'p.cancelled_at IS NULL AND p.starts_at <= ? AND p.ends_at > ? AND NOT EXISTS (SELECT 1 FROM users su WHERE su.id = p.substitute_id AND su.disabled_at IS NOT NULL)';
const toProxy = (r: RawProxy): ProxyRow => ({
  id: r.id!,
  userId: r.user_id!,
  substituteId: r.substitute_id!,
  startsAt: r.starts_at!,
  endsAt: r.ends_at!,
  createdAt: r.created_at!,
  cancelledAt: r.cancelled_at,
});

export class ProxiesRepository {
  constructor(private readonly sql: Sql) {}

  async insert(p: ProxyRow): Promise<void> {
    await this.sql.run(`INSERT INTO proxies (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      p.id,
      p.userId,
      p.substituteId,
      p.startsAt,
      p.endsAt,
      p.createdAt,
      p.cancelledAt,
    ]);
  }

  async get(id: string): Promise<ProxyRow | undefined> {
    const r = await this.sql.one<RawProxy>(`SELECT ${COLUMNS} FROM proxies WHERE id = ?`, [id]);
    return r && toProxy(r);
  }

  /** The window in force for a user at an instant (the latest one set, if windows overlap). */
  async activeFor(userId: string, at: string): Promise<ProxyRow | undefined> {
    const r = await this.sql.one<RawProxy>(`SELECT ${COLUMNS} FROM proxies p WHERE p.user_id = ? AND ${ACTIVE_WINDOW} ORDER BY p.id DESC LIMIT 1`, [userId, at, at]);
    return r && toProxy(r);
  }

  /** A user's windows that have not ended, soonest first. */
  async ofUser(userId: string, now: string): Promise<ProxyRow[]> {
    const rows = await this.sql.all<RawProxy>(
      `SELECT ${COLUMNS} FROM proxies WHERE user_id = ? AND cancelled_at IS NULL AND ends_at > ? ORDER BY starts_at, id`,
      [userId, now],
    );
    return rows.map(toProxy);
  }

  async cancel(id: string, at: string): Promise<boolean> {
    return (await this.sql.run('UPDATE proxies SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL', [at, id])) === 1;
  }
}
