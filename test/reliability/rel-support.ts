import type { Principal } from '@shenpi/domain';
import { bearer, PASSWORD, startApp, testDatabase, type TestApp } from '../support/test-app.js';

/** The demo users by the role the chains name, and the extra users the reliability suites add. */
export const USER_OF_ROLE: Record<string, string> = {
  drafter: 'drafter',
  'legal-counsel': 'counsel',
  'party-secretary': 'secretary',
  leader: 'leader',
  'rule-of-law-office': 'office',
  supervisor: 'supervisor',
  admin: 'admin',
};

export interface RelApp extends TestApp {
  /** Authorization headers of a user (one login per user per suite). */
  as(user: string): Promise<Record<string, string>>;
  /** A user's id by username. */
  id(user: string): Promise<string>;
  /** The user as the engine sees them (for calls below HTTP). */
  principal(user: string): Promise<Principal>;
  /** The highest audit sequence number now. */
  auditHead(): Promise<number>;
  /** Audit rows after `seq`, oldest first. */
  auditSince(seq: number): Promise<AuditRow[]>;
  isPostgres: boolean;
}

export interface AuditRow {
  seq: number;
  category: string;
  action: string;
  result: string;
  actor_id: string;
  document_id: string | null;
  details: string;
}

/**
 * A seeded app on a real port (so many simultaneous requests share one listening server), with
 * `other-dept` and its drafter `drafter-x`, and a second and third legal counsel in city-sti.
 */
export function useRelApp(extraUsers: { username: string; departmentId: string; roles: string[] }[] = []): RelApp {
  const database = testDatabase();
  let app: TestApp | undefined;
  const tokens = new Map<string, Record<string, string>>();
  const ids = new Map<string, string>();
  beforeAll(async () => {
    app = await startApp(database);
    await app.app.listen(0, '127.0.0.1');
    await app.engine.directory.addDepartment({ id: 'other-dept', name: '其他局', officeId: 'rule-of-law-office' });
    const users = [
      { username: 'drafter-x', departmentId: 'other-dept', roles: ['drafter'] },
      { username: 'counsel-b', departmentId: 'city-sti', roles: ['legal-counsel'] },
      { username: 'counsel-c', departmentId: 'city-sti', roles: ['legal-counsel'] },
      ...extraUsers,
    ];
    for (const u of users) await app.engine.directory.addUser({ ...u, password: PASSWORD });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await database.drop();
  }, 60_000);

  const extra = {
    async as(user: string) {
      if (!tokens.has(user)) tokens.set(user, bearer(await app!.token(user)));
      return tokens.get(user)!;
    },
    async id(user: string) {
      if (!ids.has(user)) {
        const row = await app!.engine.database.reader.one<{ id: string }>('SELECT id FROM users WHERE username = ?', [user]);
        if (!row) throw new Error(`no user ${user}`);
        ids.set(user, row.id);
      }
      return ids.get(user)!;
    },
    async principal(user: string) {
      const p = await app!.engine.authentication.principal(await extra.id(user));
      if (!p) throw new Error(`no principal ${user}`);
      return p;
    },
    async auditHead() {
      const row = await app!.engine.database.reader.one<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM audit_entries');
      return Number(row?.seq ?? 0);
    },
    async auditSince(seq: number) {
      const rows = await app!.engine.database.reader.all<AuditRow>(
        'SELECT seq, category, action, result, actor_id, document_id, details FROM audit_entries WHERE seq > ? ORDER BY seq',
        [seq],
      );
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    },
    get isPostgres() {
      return !!process.env.TEST_DATABASE_URL;
    },
  };
  return new Proxy({} as RelApp, {
    get: (_, key) => (key in extra ? (extra as Record<string | symbol, unknown>)[key] : app![key as keyof TestApp]),
  });
}

/** Rows of a table, stably ordered, for "nothing changed" comparisons. */
export async function tableRows(t: TestApp, sql: string, params: unknown[] = []): Promise<unknown[]> {
  return t.engine.database.reader.all(sql, params);
}

// The summary table's figures (figures.ts holds them, so summary.ts need not load the app).
export { recordFigure, summaryFile, type FigureLine } from './figures.js';
