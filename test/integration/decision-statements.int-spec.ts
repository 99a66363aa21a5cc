import { ManualClock, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories, SqliteSql, sqlStatements } from '@shenpi/persistence';
import { shippedChains } from '@shenpi/workflows';
import { PASSWORD, testDatabase } from '../support/test-app.js';

/**
 * What one decision asks of the database: every statement it runs reads by index (SQLite's plan
 * names no full scan of a table), and their number does not grow. The count is a ratchet: lower
 * it when a change removes statements (issue 15 aims at 8 per decision over HTTP). PostgreSQL's
 * includes the sequencer's batch that moves the decision's audit entry into the log.
 */
const STATEMENTS_PER_DECISION = { sqlite: 12, postgres: 18 };

/**
 * SEARCH reads by key; SCAN walks a whole table or index (USING INDEX only gives its order). The audit
 * log is read by document or by seq: by action or category a search walks every document's entries
 * (whatever the alias). A document's tasks and entries are listed on its row (SQLite): json_each walks
 * that one list, not a table.
 */
const walks = (detail: string) =>
  (/^SCAN /.test(detail) && !/^SCAN (\w+_i VIRTUAL TABLE INDEX|\(subquery-\d+\))/.test(detail)) || /^SEARCH \w+ USING (COVERING )?INDEX audit_(?!document\b)/.test(detail);

describe('the statements of one decision', () => {
  const database = testDatabase();
  let engine: Engine;
  /** The document the first test decided on. */
  let decided: string;

  beforeAll(async () => {
    engine = await Engine.open({ database, clock: new ManualClock(new Date('2026-03-02T02:00:00Z')), shippedChains });
    await engine.directory.seedDemo(PASSWORD);
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('reads every table by a key it filters on and runs no more statements than before', async () => {
    const login = async (username: string) => (await engine.authentication.login(username, PASSWORD)) as Principal;
    const drafter = await login('drafter');
    const counsel = await login('counsel');
    const doc = await engine.createDocument.execute({
      principal: drafter,
      chain: 'normative-document',
      title: '关于促进科技成果转化的若干措施',
      year: 2026,
      departmentId: 'city-sti',
      content: '第一条 ……',
      fields: { involvesMarketActivity: false },
    });
    decided = doc.id;
    await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
    const [task] = await engine.database.reader.all<{ id: string }>("SELECT id FROM tasks WHERE document_id = ? AND status = 'open'", [doc.id]);

    // PostgreSQL's sequencer polls every 250 ms: stopped, so only the decision and its own settle are counted.
    await engine.auditSequencer.stop();
    const seen: { sql: string; params: unknown[] }[] = [];
    const all = SqliteSql.prototype.all;
    const run = SqliteSql.prototype.run;
    SqliteSql.prototype.all = function <T>(this: SqliteSql, sql: string, params: unknown[] = []) {
      seen.push({ sql, params });
      return all.call(this, sql, params) as Promise<T[]>;
    };
    SqliteSql.prototype.run = function (this: SqliteSql, sql: string, params: unknown[] = []) {
      seen.push({ sql, params });
      return run.call(this, sql, params);
    };
    const before = sqlStatements.count;
    try {
      const result = await engine.transition.execute({ taskId: task.id, action: 'lawful', principal: counsel });
      expect(result.document.state).toBe('collective-deliberation');
    } finally {
      SqliteSql.prototype.all = all;
      SqliteSql.prototype.run = run;
    }
    const count = sqlStatements.count - before;
    expect(count).toBeGreaterThan(5);
    expect(count).toBeLessThanOrEqual(STATEMENTS_PER_DECISION[engine.database.kind]);

    if (engine.database.kind !== 'sqlite') return; // PostgreSQL's plans depend on its statistics: a small table is scanned on purpose.
    expect(seen.length).toBe(count);
    const scans: string[] = [];
    for (const { sql, params } of seen) {
      if (!/^\s*(SELECT|UPDATE|DELETE|INSERT)/i.test(sql)) continue;
      const plan = await engine.database.reader.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
      for (const { detail } of plan) if (walks(detail)) scans.push(`${detail} ← ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
    }
    expect(scans).toEqual([]);
  });

  it("reads a document's audit entries through its row's list and the index by document, never by category (SQLite)", async () => {
    if (engine.database.kind !== 'sqlite') return;
    const seen: { sql: string; params: unknown[] }[] = [];
    const all = SqliteSql.prototype.all;
    SqliteSql.prototype.all = function <T>(this: SqliteSql, sql: string, params: unknown[] = []) {
      seen.push({ sql, params });
      return all.call(this, sql, params) as Promise<T[]>;
    };
    const repos = new Repositories(engine.database.reader);
    try {
      expect((await repos.audit.forDocument(decided, 'transition')).map((e) => e.action)).toEqual(['create', 'submit', 'lawful']);
      expect((await repos.audit.search({ documentId: decided }, null, 50)).length).toBeGreaterThanOrEqual(3);
      expect(await repos.audit.lastTimeOf(decided, 'nobody', 'urge')).toBeUndefined();
      expect((await repos.audit.lastTransitionOf(decided))?.to).toBe('collective-deliberation');
      expect((await repos.documents.stateChanges([decided])).length).toBe(3);
    } finally {
      SqliteSql.prototype.all = all;
    }
    const scans: string[] = [];
    for (const { sql, params } of seen) {
      const plan = await engine.database.reader.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
      for (const { detail } of plan) if (walks(detail)) scans.push(`${detail} ← ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
    }
    expect(seen.length).toBe(5);
    expect(scans).toEqual([]);
  });

  it("reads the open inbox from the indexes of open tasks and the done one from the indexes of done tasks by closing", async () => {
    const counsel = (await engine.authentication.login('counsel', PASSWORD)) as Principal;
    const seen: { sql: string; params: unknown[] }[] = [];
    const all = SqliteSql.prototype.all;
    SqliteSql.prototype.all = function <T>(this: SqliteSql, sql: string, params: unknown[] = []) {
      seen.push({ sql, params });
      return all.call(this, sql, params) as Promise<T[]>;
    };
    try {
      const open = await engine.inboxReadModel.inbox(counsel, 'open', undefined, 50);
      const done = await engine.inboxReadModel.inbox(counsel, 'done', undefined, 50);
      // The first test left the counsel one decided task and none open.
      expect(open.items).toEqual([]);
      expect(done.items.map((t) => t.decision)).toEqual(['lawful']);
    } finally {
      SqliteSql.prototype.all = all;
    }
    if (engine.database.kind !== 'sqlite') return; // as above: PostgreSQL's plan follows its statistics
    const plans: string[][] = [];
    for (const { sql, params } of seen.filter((s) => /FROM tasks t JOIN documents/.test(s.sql))) {
      const plan = (await engine.database.reader.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((p) => p.detail);
      expect(plan.filter((d) => /^SCAN t\b/.test(d))).toEqual([]);
      plans.push([...new Set(plan.flatMap((d) => /USING (?:COVERING )?INDEX (tasks_\w+)/.exec(d)?.[1] ?? (/^SEARCH o USING PRIMARY KEY \(department_id=\? AND assignee_role=\?\)/.test(d) ? 'open_role_tasks' : [])))].sort());
    }
    // Each branch on an index of its own kind of task: an open inbox read past closed tasks, a done one
    // read every task of the role and sorted them, without them. A role's open tasks: its list (migration 1767100000000).
    expect(plans).toEqual([
      ['open_role_tasks', 'tasks_open_user'],
      ['tasks_decided', 'tasks_done_role', 'tasks_done_user'],
    ]);
  });
});
