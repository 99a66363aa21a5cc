import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Principal } from '@shenpi/domain';
import type { Engine } from '@shenpi/engine';
import { Repositories, type Sql } from '@shenpi/persistence';
import { fillAudit } from '../support/audit-fill.js';
import { BENCH_PASSWORD, cloneDocuments, explain, fmt, freshDatabase, log, openEngine, principalOf, template, type Backend } from './fixtures.js';
import { loaderOverhead, loadSame, login, startApiServer, type LoadResult } from './http.bench.js';
import { runsOf, type Runs } from './stats.js';

/**
 * `GET /api/tasks` as `counsel` on a large database: documents and their tasks and deadline rows
 * bulk-loaded with SQL (copies of five engine-made templates, one per stage of the
 * normative-document chain: drafting, legality review, collective deliberation, sign for issue,
 * issued — so a fifth of the documents hold an open task for counsel's role), plus audit entries
 * from fillAudit. Measured over HTTP against the API in a child process, whose resident memory
 * is read after the runs.
 */
export interface InboxOptions {
  documents: number;
  auditEntries: number;
  runs: number;
  /** Requests per run at most; fewer when the warm-up shows a run would last longer than `runSeconds`. */
  requests: number;
  runSeconds: number;
  connections: number;
  /** Measure what the bench's TypeScript loader adds to the API's RSS (two more processes; the full run does). */
  measureLoader: boolean;
  postgresUrl: string;
}

export interface InboxResult {
  backend: Backend;
  documents: number;
  auditEntries: number;
  openForCounsel: number;
  requestsPerRun: number;
  rate: Runs;
  p50: Runs;
  p99: Runs;
  /** One connection, one request at a time: how fast one user's inbox opens when nobody queues before them. */
  single: { requests: number; p50: Runs; p99: Runs };
  failures: { non2xx: number; errors: number; first?: string };
  /** In-process, on the read connection: the whole Queries.inbox and its first statement alone (ms). */
  inProcess: {
    whole: Runs;
    listQuery: Runs;
    statementsPerCall: number;
    /** Statements of one call grouped by text, most frequent first: an N+1 shows as one text run per item. */
    statementKinds: { count: number; text: string }[];
    sql: string;
    plan: string[];
    /** The same page from one index-ordered, LIMITed scan per branch of the OR (UNION ALL): for comparison, not the app's query. */
    alternative: { listQuery: Runs; sql: string; plan: string[]; sameRows: boolean };
  };
  memory: {
    rssAtStart: number;
    rssAfter: number;
    heapUsedAfter: number;
    /** What the bench's TypeScript loader adds to the API process (module graph loaded with and without it); null: not measured. */
    loaderBytes: number | null;
    databaseBytes: number | null;
  };
  seconds: number;
}

/** Counts and remembers the statements run on `sql` while `fn` runs. */
async function counting<T>(sql: Sql, fn: () => Promise<T>): Promise<{ value: T; statements: { text: string; params: unknown[] }[] }> {
  const statements: { text: string; params: unknown[] }[] = [];
  const all = sql.all;
  sql.all = <R>(text: string, params: unknown[] = []) => {
    statements.push({ text, params });
    return all.call(sql, text, params) as Promise<R[]>;
  };
  try {
    return { value: await fn(), statements };
  } finally {
    sql.all = all;
  }
}


const TASK_COLUMNS =
  't.id, t.document_id, t.step_key, t.round, t.department_id, t.assignee_role, t.assignee_user_id, t.status, t.decision, t.comment, t.decided_by, t.on_behalf_of, t.delegated_from, t.due_at, t.created_at, t.closed_at, t.signer';

/**
 * The open-inbox page as a UNION ALL of the OR's branches, each read newest first from its own
 * index and cut at the page size before the join: what the list statement could be. Same rows.
 */
function alternativeInbox(p: Principal, limit: number): { text: string; params: unknown[] } {
  const roles = p.grants.filter((g) => g.departmentId);
  const branches = [
    { where: "status = 'open' AND assignee_user_id = ?", params: [p.id] },
    ...roles.map((g) => ({ where: "status = 'open' AND assignee_user_id IS NULL AND assignee_role = ? AND department_id = ?", params: [g.role, g.departmentId] })),
  ];
  const text = `SELECT ${TASK_COLUMNS}, d.title AS document_title FROM (${branches
    .map((b, i) => `SELECT id FROM (SELECT id FROM tasks WHERE ${b.where} ORDER BY id DESC LIMIT ?) AS b${i}`)
    .join(' UNION ALL ')}) AS page JOIN tasks t ON t.id = page.id JOIN documents d ON d.id = t.document_id ORDER BY t.id DESC LIMIT ?`;
  return { text, params: [...branches.flatMap((b) => [...b.params, limit]), limit] };
}

/** The in-process cost of the inbox: the whole query object, and the list statement alone. */
async function inProcessInbox(engine: Engine, counsel: Principal, rounds: number) {
  const { value: first, statements } = await counting(engine.database.reader, () => engine.inboxReadModel.inbox(counsel, 'open', undefined, 50));
  if (first.items.length !== 50) throw new Error(`inbox: ${first.items.length} items, expected 50`);
  const reader = new Repositories(engine.database.reader);
  const whole: number[] = [];
  const list: number[] = [];
  // Up to `rounds` calls, and no more than about 3 s of them (at least 5).
  const began = performance.now();
  for (let i = 0; i < rounds && (i < 5 || performance.now() - began < 3000); i++) {
    let t0 = performance.now();
    await engine.inboxReadModel.inbox(counsel, 'open', undefined, 50);
    whole.push(performance.now() - t0);
    t0 = performance.now();
    await reader.tasks.inbox(counsel, 'open', null, 51);
    list.push(performance.now() - t0);
  }
  const listStatement = statements[0];
  const alt = alternativeInbox(counsel, 51);
  const altTimes: number[] = [];
  let altRows: { id: string }[] = [];
  for (let i = 0; i < whole.length; i++) {
    const t0 = performance.now();
    altRows = await engine.database.reader.all<{ id: string }>(alt.text, alt.params);
    altTimes.push(performance.now() - t0);
  }
  const appRows = await engine.database.reader.all<{ id: string }>(listStatement.text, listStatement.params);
  return {
    whole: runsOf('Queries.inbox', 'ms', whole),
    listQuery: runsOf('tasks.inbox statement', 'ms', list),
    statementsPerCall: statements.length,
    statementKinds: [...statements.reduce((m, st) => m.set(st.text, (m.get(st.text) ?? 0) + 1), new Map<string, number>())]
      .map(([text, count]) => ({ count, text: text.replace(/\s+/g, ' ') }))
      .sort((a, b) => b.count - a.count),
    sql: listStatement.text.replace(/\s+/g, ' '),
    plan: await explain(engine, listStatement.text, listStatement.params),
    alternative: {
      listQuery: runsOf('UNION ALL statement', 'ms', altTimes),
      sql: alt.text,
      plan: await explain(engine, alt.text, alt.params),
      sameRows: JSON.stringify(altRows.map((r) => r.id)) === JSON.stringify(appRows.map((r) => r.id)),
    },
  };
}

export async function inboxBench(opts: InboxOptions): Promise<InboxResult> {
  const began = performance.now();
  const backend: Backend = 'sqlite';
  const db = freshDatabase(backend, opts.postgresUrl, 'inbox');
  try {
    const engine = await openEngine(db);
    let openForCounsel: number;
    let inProcess: InboxResult['inProcess'];
    try {
      await engine.directory.seedDemo(BENCH_PASSWORD);
      const templates = [
        await template(engine, []),
        await template(engine, [['drafter', 'submit']]),
        await template(engine, [['drafter', 'submit'], ['counsel', 'lawful']]),
        await template(engine, [['drafter', 'submit'], ['counsel', 'lawful'], ['secretary', 'approve']]),
        await template(engine, [['drafter', 'submit'], ['counsel', 'lawful'], ['secretary', 'approve'], ['leader', 'approve']]),
      ];
      let t0 = performance.now();
      const every = Math.max(10_000, Math.round(opts.documents / 5 / 10_000) * 10_000);
      let shown = 0;
      await cloneDocuments(engine, templates, opts.documents - templates.length, (done) => {
        if (done - shown < every && done < opts.documents - templates.length) return;
        shown = done;
        log(`inbox: bulk-loaded ${fmt(done)} / ${fmt(opts.documents)} documents (${fmt(done / ((performance.now() - t0) / 1000))} documents/s)`);
      });
      t0 = performance.now();
      const slice = Math.max(10_000, Math.round(opts.auditEntries / 5));
      for (let done = 0; done < opts.auditEntries; ) {
        const n = Math.min(slice, opts.auditEntries - done);
        await fillAudit(engine, n);
        done += n;
        log(`inbox: audit entries ${fmt(done)} / ${fmt(opts.auditEntries)} (${fmt(done / ((performance.now() - t0) / 1000))} entries/s)`);
      }
      const counsel = await principalOf(engine, 'counsel');
      const open = await engine.database.reader.one<{ n: number }>(
        "SELECT COUNT(*) AS n FROM tasks WHERE status = 'open' AND assignee_role = 'legal-counsel' AND department_id = 'city-sti'",
      );
      openForCounsel = Number(open!.n);
      log(`inbox: in-process Queries.inbox, ${opts.runs} runs of up to 20 calls (about 3 s at most)…`);
      const rounds = [];
      for (let r = 0; r < opts.runs; r++) rounds.push(await inProcessInbox(engine, counsel, 20));
      inProcess = {
        ...rounds[0],
        whole: runsOf('Queries.inbox', 'ms', rounds.map((r) => r.whole.median)),
        listQuery: runsOf('tasks.inbox statement', 'ms', rounds.map((r) => r.listQuery.median)),
        alternative: { ...rounds[0].alternative, listQuery: runsOf('UNION ALL statement', 'ms', rounds.map((r) => r.alternative.listQuery.median)) },
      };
    } finally {
      await engine.close();
    }

    let databaseBytes: number | null = null;
    try {
      databaseBytes = statSync(db.config.sqlitePath).size;
    } catch {
      databaseBytes = null;
    }

    log(`inbox: GET /api/tasks as counsel over HTTP (API in a child process), ${opts.connections} connections…`);
    const server = await startApiServer(db);
    const results: LoadResult[] = [];
    const singles: LoadResult[] = [];
    const singleRequests = Math.max(50, Math.floor(opts.requests / 4));
    let rssAtStart: number;
    let requests = opts.requests;
    let after: Awaited<ReturnType<typeof server.stats>>;
    try {
      rssAtStart = (await server.stats()).rss;
      const token = await login(server.url, 'counsel', BENCH_PASSWORD);
      const warm = await loadSame(server.url, token, '/api/tasks', opts.connections, opts.connections * 5);
      if (warm.non2xx || warm.errors) throw new Error(`inbox: warm-up failed: ${warm.non2xx} non-2xx, ${warm.errors} errors; ${warm.firstFailure ?? ''}`);
      // Runs of about runSeconds at the warm-up's pace (at least 5 requests per connection).
      const fit = Math.floor((warm.rate * opts.runSeconds) / opts.connections) * opts.connections;
      requests = Math.max(opts.connections * 5, Math.min(opts.requests, fit));
      log(`inbox: warm-up ${fmt(warm.rate)} requests/s; ${opts.runs} runs × ${fmt(requests)} requests…`);
      for (let r = 0; r < opts.runs; r++) {
        const run = await loadSame(server.url, token, '/api/tasks', opts.connections, requests);
        results.push(run);
        log(`  run ${r + 1}: ${fmt(run.rate)} requests/s, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms`);
      }
      log(`inbox: one connection, ${opts.runs} runs × ${fmt(singleRequests)} requests…`);
      for (let r = 0; r < opts.runs; r++) {
        const run = await loadSame(server.url, token, '/api/tasks', 1, singleRequests);
        singles.push(run);
        log(`  run ${r + 1}: p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(2)} ms`);
      }
      after = await server.stats();
    } finally {
      await server.stop();
    }
    const loader = opts.measureLoader ? await loaderOverhead() : null;
    const all = [...results, ...singles];
    const failures = { non2xx: all.reduce((a, r) => a + r.non2xx, 0), errors: all.reduce((a, r) => a + r.errors, 0), first: all.find((r) => r.firstFailure)?.firstFailure };
    if (failures.non2xx || failures.errors) log(`inbox: HTTP failures: ${failures.non2xx} non-2xx, ${failures.errors} errors; ${failures.first ?? ''}`);
    return {
      backend,
      documents: opts.documents,
      auditEntries: opts.auditEntries,
      openForCounsel,
      requestsPerRun: requests,
      rate: runsOf('inbox requests/s', 'requests/s', results.map((r) => r.rate)),
      p50: runsOf('inbox p50', 'ms', results.map((r) => r.p50)),
      p99: runsOf('inbox p99', 'ms', results.map((r) => r.p99)),
      single: {
        requests: singleRequests,
        p50: runsOf('inbox p50, one connection', 'ms', singles.map((r) => r.p50)),
        p99: runsOf('inbox p99, one connection', 'ms', singles.map((r) => r.p99)),
      },
      failures,
      inProcess,
      memory: { rssAtStart, rssAfter: after.rss, heapUsedAfter: after.heapUsed, loaderBytes: loader && Math.max(0, loader.withLoader - loader.without), databaseBytes },
      seconds: (performance.now() - began) / 1000,
    };
  } finally {
    await db.drop();
  }
}

