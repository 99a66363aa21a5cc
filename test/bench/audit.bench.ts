import { performance } from 'node:perf_hooks';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { LogWalkers, RUN, witnessCheck, type AuditInput, type TreeHead } from '@shenpi/audit';
import type { Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories, type AuditFilter, type Sql } from '@shenpi/persistence';
import { fillAudit } from '../support/audit-fill.js';
import { explain, freshDatabase, random } from './fixtures.js';
import { grid, rateOf, summarize, type Figure, type Rate } from './stats.js';

export type AuditBackend = 'sqlite' | 'postgres';

export interface AuditBenchOptions {
  /** Entries bulk-loaded before verify and search (1,000,000 in the full run). */
  entries: number;
  /** Appends of one entry per transaction, as transitions do. */
  singleAppends: number;
  /** Transactions of `BATCH` appends each. */
  batchedTransactions: number;
  /** Rounds over every search kind (one search of each kind per round). */
  searchRounds: number;
  /** PostgreSQL server; a fresh schema is created in it and dropped afterwards. */
  postgresUrl: string;
}

const BATCH = 100;
const LIMIT = 50;
/** A search kind whose p99 is above this is reported with its query plan (BENCH_SLOW_MS overrides). */
export const SLOW_MS = Number(process.env.BENCH_SLOW_MS) || 100;

export const SEARCH_KINDS = [
  'newest page, unfiltered',
  'departmentId',
  'action',
  'documentId',
  'actorId',
  'category + 1-day range',
  'second page (cursor)',
] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SlowSearch {
  kind: SearchKind;
  p99: number;
  sql: string;
  params: unknown[];
  plan: string[];
}

export interface AuditBenchResult {
  backend: AuditBackend;
  /** Entries in the log when verify and search ran. */
  entries: number;
  bulkLoad: Rate;
  appendSingle: Rate;
  appendBatched: Rate;
  verify: Rate;
  /**
   * SQLite: what verify's walk cannot beat on this machine, in the same run: better-sqlite3 reading
   * the log a run at a time (one statement each), walkRun recomputing each chain hash and Merkle
   * leaf and folding the run's subtrees, on one thread, nothing else (no tree heads, no engine).
   */
  verifyFloor?: Rate;
  /** The same runs walked in two threads (LogWalkers, their start-up included) while the next are read. */
  verifyFloorTwoThreads?: Rate;
  /** Hashing the log into the stored Merkle tree (the first catch-up of the whole log). */
  treeBuild: Rate;
  inclusion: Figure;
  consistency: Figure;
  /** One witness check: the latest head, a consistency proof from the half-size head, verified. */
  witness: Figure;
  appendLatency: Figure;
  search: Record<SearchKind, Figure>;
  searchOverall: Figure;
  slow: SlowSearch[];
  /** Wall time of the whole stage on this backend, seconds. */
  seconds: number;
}

// The values fillAudit() rotates over (test/support/audit-fill.ts).
const DEPARTMENTS = ['city-sti', 'dept-a', 'dept-b', 'dept-c', 'dept-d'];
const ACTIONS = ['submit', 'approve', 'return', 'remind', 'login'];
const FILL_START = Date.parse('2025-01-01T00:00:00Z');
const documentIdOf = (i: number) => `0191e4a0-0000-7000-8000-${String(i).padStart(12, '0')}`;

const ADMIN: Principal = { id: 'bench-admin', username: 'bench-admin', displayName: 'Bench admin', grants: [{ role: 'admin', departmentId: null }] };

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * The verify floors (AuditBenchResult.verifyFloor, verifyFloorTwoThreads) over the first `entries`
 * of the log at `path`: its own better-sqlite3 connection reads the runs with textRun's statement,
 * and walkRun walks them, here or in LogWalkers' threads; no tree heads, no engine.
 */
async function verifyFloorOf(path: string, entries: number, threads: number): Promise<Rate> {
  const db = new Sqlite(path, { readonly: true });
  const walkers = new LogWalkers('sha256', threads);
  try {
    const read = db.prepare("SELECT count(*) AS n, CAST(group_concat(canonical, char(10)) AS BLOB) AS texts, group_concat(hash, '') AS hashes FROM audit_entries WHERE seq > ? AND seq <= ?");
    const t0 = performance.now();
    const inFlight: Promise<unknown>[] = [];
    let prev = '0'.repeat(64);
    for (let after = 0; after < entries; after += RUN) {
      const { n, texts, hashes } = read.get(after, Math.min(after + RUN, entries)) as { n: number; texts: Uint8Array; hashes: string };
      inFlight.push(walkers.walk({ firstSeq: after + 1, count: n, texts, hashes }, prev, false, threads > 0));
      prev = hashes.slice(-64);
      if (inFlight.length >= walkers.inFlight && !(await inFlight.shift())) throw new Error(`verify floor: a run before entry ${after} does not hold`);
    }
    if ((await Promise.all(inFlight)).some((w) => !w)) throw new Error('verify floor: a run does not hold');
    return rateOf(`verify floor (runs read and walked, ${threads ? `${threads} threads` : 'one thread'})`, entries, (performance.now() - t0) / 1000);
  } finally {
    await walkers.close();
    db.close();
  }
}

/** null when PostgreSQL answers, otherwise why not. */
export async function postgresUnreachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh database for the stage (see fixtures), with the engine open on it. */
async function openBackend(backend: AuditBackend, postgresUrl: string): Promise<{ engine: Engine; drop: () => Promise<void>; sqlitePath: string }> {
  const db = freshDatabase(backend, postgresUrl, 'audit');
  try {
    return { engine: await Engine.open({ database: db.config, attachments: { dir: db.attachmentsDir, maxBytes: 1024 * 1024 } }), drop: db.drop, sqlitePath: db.config.sqlitePath };
  } catch (err) {
    await db.drop().catch(() => undefined);
    throw err;
  }
}

/** Records the statement the last search ran, so a slow one can be explained. */
function recordStatements(sql: Sql): () => { text: string; params: unknown[] } | undefined {
  let last: { text: string; params: unknown[] } | undefined;
  const all = sql.all.bind(sql);
  sql.all = <T>(text: string, params: unknown[] = []) => {
    last = { text, params };
    return all<T>(text, params);
  };
  return () => last;
}


function appendInput(i: number): AuditInput {
  const departmentId = DEPARTMENTS[i % DEPARTMENTS.length];
  return {
    category: 'transition',
    action: 'approve',
    actor: { type: 'user', id: `user-${i % 50}`, role: 'legal-counsel', departmentId, onBehalfOf: null },
    departmentId,
    documentId: documentIdOf(i % 1000),
    from: 'legal-review',
    to: 'party-group-review',
    details: { version: i, comment: `第${i}号：请补充“存在的不足和原因”部分` },
  };
}

/**
 * The audit log at scale on one backend, on a fresh database: bulk load of `entries` valid
 * chained entries (fillAudit — not the append path), verify of the whole log, searches through
 * the API's query at that size, then real appends (one per transaction, and `BATCH` per transaction).
 */
export async function auditBench(backend: AuditBackend, opts: AuditBenchOptions): Promise<AuditBenchResult> {
  const began = performance.now();
  const { engine, drop, sqlitePath } = await openBackend(backend, opts.postgresUrl);
  try {
    // Bulk load, in slices so progress can be shown.
    const slice = Math.max(10_000, Math.round(opts.entries / 10));
    let t0 = performance.now();
    for (let done = 0; done < opts.entries; ) {
      const n = Math.min(slice, opts.entries - done);
      await fillAudit(engine, n);
      done += n;
      log(`audit ${backend}: bulk-loaded ${fmt(done)} / ${fmt(opts.entries)} (${fmt(done / ((performance.now() - t0) / 1000))} entries/s)`);
    }
    const bulkLoad = rateOf('bulk load (fillAudit, not append)', opts.entries, (performance.now() - t0) / 1000);
    if (backend === 'postgres') {
      // What autovacuum does on a live server long before a log reaches this size.
      t0 = performance.now();
      await engine.database.reader.run('VACUUM ANALYZE audit_entries');
      log(`audit ${backend}: VACUUM ANALYZE audit_entries took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }

    // Verify the whole log, on the read connection like GET /api/audit/verify.
    const reader = new Repositories(engine.database.reader);
    const every = Math.max(2000, Math.round(opts.entries / 10 / 2000) * 2000);
    t0 = performance.now();
    let shown = 0;
    const verified = await engine.audit.verify(reader, (checked) => {
      if (checked - shown < every && checked < opts.entries) return;
      shown = checked;
      log(`audit ${backend}: verified ${fmt(checked)} / ${fmt(opts.entries)} (${fmt(checked / ((performance.now() - t0) / 1000))} entries/s)`);
    });
    const verifySeconds = (performance.now() - t0) / 1000;
    if (!verified.ok || verified.entries !== opts.entries) throw new Error(`audit ${backend}: verify failed: ${JSON.stringify(verified)}`);
    const verify = rateOf('verify (whole log)', verified.entries, verifySeconds);
    const verifyFloor = backend === 'sqlite' ? await verifyFloorOf(sqlitePath, opts.entries, 0) : undefined;
    if (verifyFloor) log(`audit ${backend}: verify floor ${fmt(verifyFloor.rate)} entries/s (verify ${fmt(verify.rate)}: ${(verify.rate / verifyFloor.rate).toFixed(2)}× of it)`);
    const verifyFloorTwoThreads = backend === 'sqlite' ? await verifyFloorOf(sqlitePath, opts.entries, 2) : undefined;
    if (verifyFloorTwoThreads) log(`audit ${backend}: verify floor in two threads ${fmt(verifyFloorTwoThreads.rate)} entries/s (${(verifyFloorTwoThreads.rate / verifyFloor!.rate).toFixed(2)}× of one thread)`);

    // The Merkle tree over the whole log, a batch per writer job, with a head signed at half size (for the witness).
    log(`audit ${backend}: hashing ${fmt(opts.entries)} entries into the Merkle tree…`);
    t0 = performance.now();
    let half: TreeHead | null = null;
    for (let size = 0; size < opts.entries; ) {
      size = await engine.writer.run((r) => engine.auditTree.extend(r));
      if (!half && size >= opts.entries / 2) half = await engine.writer.run((r) => engine.auditTree.signHead(r, engine.checkpointSigner, new Date().toISOString()));
    }
    const treeBuild = rateOf('Merkle tree build', opts.entries, (performance.now() - t0) / 1000);
    const full = (await engine.signTreeHead())!;
    const proofRnd = random(6962);
    const timings = async (n: number, fn: () => Promise<unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const s0 = performance.now();
        await fn();
        ms.push(performance.now() - s0);
      }
      return ms;
    };
    const inclusion = summarize(`audit inclusion proof at ${fmt(opts.entries)}, ${backend}`, 'ms', await timings(opts.searchRounds * 10, () => engine.auditTree.inclusion(reader, Math.floor(proofRnd() * full.treeSize), full.treeSize)));
    const consistency = summarize(`audit consistency proof at ${fmt(opts.entries)}, ${backend}`, 'ms', await timings(opts.searchRounds * 10, () => {
      const first = 1 + Math.floor(proofRnd() * (full.treeSize - 1));
      return engine.auditTree.consistency(reader, first, full.treeSize);
    }));
    const client = { latestHead: async () => full, consistency: async (a: number, b: number) => (await engine.auditTree.consistency(reader, a, b)).proof };
    const witness = summarize(`audit witness check at ${fmt(opts.entries)}, ${backend}`, 'ms', await timings(opts.searchRounds, async () => {
      const result = await witnessCheck({ publicKey: engine.checkpointSigner.publicKey, head: half! }, client);
      if (!result.ok) throw new Error(`audit ${backend}: witness check failed: ${result.reason}`);
    }));

    // Searches through the API's query, newest first, limit 50, as a global admin.
    log(`audit ${backend}: searching (${opts.searchRounds} rounds × ${SEARCH_KINDS.length} kinds, limit ${LIMIT}, after one warm-up round)…`);
    const lastStatement = recordStatements(engine.database.reader);
    const rnd = random(20250101);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const filterOf = (kind: SearchKind): Omit<AuditFilter, 'departmentIds'> => {
      switch (kind) {
        case 'departmentId':
          return { departmentId: pick(DEPARTMENTS) };
        case 'action':
          return { action: pick(ACTIONS) };
        case 'documentId':
          return { documentId: documentIdOf(Math.floor(rnd() * 1000)) };
        case 'actorId':
          return { actorId: `user-${Math.floor(rnd() * 50)}` };
        case 'category + 1-day range': {
          const from = FILL_START + Math.floor(1 + rnd() * (opts.entries - 86_400)) * 1000;
          return { category: rnd() < 0.8 ? 'transition' : 'security', from: new Date(from).toISOString(), to: new Date(from + 86_400_000).toISOString() };
        }
        case 'second page (cursor)':
          return filterOf(pick(['newest page, unfiltered', 'departmentId', 'action', 'documentId', 'actorId'] as const));
        default:
          return {};
      }
    };
    const samples = new Map<SearchKind, number[]>(SEARCH_KINDS.map((k) => [k, []]));
    const slowest = new Map<SearchKind, { ms: number; text: string; params: unknown[] }>();
    for (let round = -1; round < opts.searchRounds; round++) {
      for (const kind of SEARCH_KINDS) {
        const filter = filterOf(kind);
        let cursor: string | undefined;
        if (kind === 'second page (cursor)') {
          cursor = (await engine.auditReadModel.auditEntries(ADMIN, filter, undefined, LIMIT)).nextCursor ?? undefined;
          if (!cursor) throw new Error(`audit ${backend}: no second page for ${JSON.stringify(filter)}`);
        }
        const s = performance.now();
        const page = await engine.auditReadModel.auditEntries(ADMIN, filter, cursor, LIMIT);
        const ms = performance.now() - s;
        if (page.items.length !== LIMIT) throw new Error(`audit ${backend}: ${kind} ${JSON.stringify(filter)} returned ${page.items.length} entries, not ${LIMIT}`);
        if (round < 0) continue;
        samples.get(kind)!.push(ms);
        const statement = lastStatement()!;
        if (ms > (slowest.get(kind)?.ms ?? -1)) slowest.set(kind, { ms, ...statement });
      }
    }
    const search = Object.fromEntries(SEARCH_KINDS.map((k) => [k, summarize(`audit search ${k}, ${backend}`, 'ms', samples.get(k)!)])) as Record<SearchKind, Figure>;
    const searchOverall = summarize(`audit search all kinds, ${backend}`, 'ms', [...samples.values()].flat());
    const slow: SlowSearch[] = [];
    for (const kind of SEARCH_KINDS) {
      if (search[kind].p99 <= SLOW_MS) continue;
      const { text, params } = slowest.get(kind)!;
      slow.push({ kind, p99: search[kind].p99, sql: text.replace(/\s+/g, ' '), params, plan: await explain(engine, text, params) });
    }
    for (const s of slow) log(`audit ${backend}: slow search "${s.kind}" p99 ${s.p99.toFixed(0)} ms`);

    // Real appends at this size: one per transaction (as a transition writes its entry), then batches.
    log(`audit ${backend}: ${fmt(opts.singleAppends)} appends, one per transaction…`);
    const latencies: number[] = [];
    t0 = performance.now();
    for (let i = 0; i < opts.singleAppends; i++) {
      const s = performance.now();
      await engine.writer.run((r) => engine.audit.append(r, appendInput(i)));
      latencies.push(performance.now() - s);
    }
    const appendSingle = rateOf('append, 1 per transaction', opts.singleAppends, (performance.now() - t0) / 1000);
    log(`audit ${backend}: ${fmt(opts.batchedTransactions * BATCH)} appends, ${BATCH} per transaction…`);
    t0 = performance.now();
    for (let b = 0; b < opts.batchedTransactions; b++) {
      await engine.writer.run(async (r) => {
        for (let k = 0; k < BATCH; k++) await engine.audit.append(r, appendInput(b * BATCH + k));
      });
    }
    const appendBatched = rateOf(`append, ${BATCH} per transaction`, opts.batchedTransactions * BATCH, (performance.now() - t0) / 1000);
    const head = await reader.audit.head();
    const expected = opts.entries + opts.singleAppends + opts.batchedTransactions * BATCH;
    if (head.seq !== expected) throw new Error(`audit ${backend}: head at ${head.seq}, expected ${expected}`);

    return {
      backend,
      entries: opts.entries,
      bulkLoad,
      appendSingle,
      appendBatched,
      verify,
      verifyFloor,
      verifyFloorTwoThreads,
      treeBuild,
      inclusion,
      consistency,
      witness,
      appendLatency: summarize(`audit append 1/transaction, ${backend}`, 'ms', latencies),
      search,
      searchOverall,
      slow,
      seconds: (performance.now() - began) / 1000,
    };
  } finally {
    await engine.close();
    await drop();
  }
}

const ms = (v: number) => (v < 10 ? v.toFixed(1) : v.toFixed(0));
const ratio = (pgValue: number, sqliteValue: number) => (sqliteValue > 0 ? `${(pgValue / sqliteValue).toFixed(2)}×` : '');

/** SQLite and PostgreSQL side by side; the ratio column is PostgreSQL ÷ SQLite. */
export function auditTable(results: AuditBenchResult[], pgSkipped?: string): string {
  const lite = results.find((r) => r.backend === 'sqlite');
  const post = results.find((r) => r.backend === 'postgres');
  const entries = (lite ?? post)?.entries ?? 0;
  const rateRow = (label: string, get: (r: AuditBenchResult) => Rate) => [
    `${label} (entries/s)`,
    lite ? fmt(get(lite).rate) : '',
    post ? fmt(get(post).rate) : pgSkipped ? 'skipped' : '',
    lite && post ? ratio(get(post).rate, get(lite).rate) : '',
  ];
  const latencyRow = (label: string, get: (r: AuditBenchResult) => Figure) => [
    `${label} (ms, p50 / p99)`,
    lite ? `${ms(get(lite).p50)} / ${ms(get(lite).p99)}` : '',
    post ? `${ms(get(post).p50)} / ${ms(get(post).p99)}` : pgSkipped ? 'skipped' : '',
    lite && post ? `${ratio(get(post).p99, get(lite).p99)} p99` : '',
  ];
  const rows = [
    rateRow(`bulk load of ${fmt(entries)} (fillAudit, not append)`, (r) => r.bulkLoad),
    rateRow('append, 1 per transaction', (r) => r.appendSingle),
    latencyRow('  append latency, 1 per transaction', (r) => r.appendLatency),
    rateRow(`append, ${BATCH} per transaction`, (r) => r.appendBatched),
    rateRow(`verify of ${fmt(entries)} (table definition once; chain hash, Merkle leaf and root at each signed head)`, (r) => r.verify),
    [`  floor: runs read (one statement each) and walked, one thread (entries/s)`, lite?.verifyFloor ? `${fmt(lite.verifyFloor.rate)} (verify ${ratio(lite.verify.rate, lite.verifyFloor.rate)})` : '', '', ''],
    [`  floor: the same runs walked in two threads (entries/s)`, lite?.verifyFloorTwoThreads ? `${fmt(lite.verifyFloorTwoThreads.rate)} (${ratio(lite.verifyFloorTwoThreads.rate, lite.verifyFloor!.rate)} of one thread)` : '', '', ''],
    rateRow(`Merkle tree build over ${fmt(entries)} (a batch of 5,000 per writer job)`, (r) => r.treeBuild),
    latencyRow(`inclusion proof at ${fmt(entries)}`, (r) => r.inclusion),
    latencyRow(`consistency proof at ${fmt(entries)}`, (r) => r.consistency),
    latencyRow(`witness check at ${fmt(entries)} (head + consistency proof + verify)`, (r) => r.witness),
    ...SEARCH_KINDS.map((k) => latencyRow(`search: ${k}`, (r) => r.search[k])),
    latencyRow('search: all kinds', (r) => r.searchOverall),
  ];
  const searches = (lite ?? post)?.searchOverall.samples ?? 0;
  const notes = [
    `Audit log at ${fmt(entries)} entries; searches: ${searches} per backend, limit ${LIMIT}, global admin, via engine.auditReadModel.auditEntries.`,
    'PG ÷ SQLite: below 1× on an entries/s row, or above 1× on a latency row, means PostgreSQL is slower.',
    'PostgreSQL: VACUUM ANALYZE after the bulk load, as autovacuum would have done by then; SQLite: no ANALYZE (the app runs none).',
  ];
  if (pgSkipped) notes.push(`PostgreSQL skipped: ${pgSkipped}`);
  const table = grid(['audit', 'SQLite (embedded)', 'PostgreSQL', 'PG ÷ SQLite'], rows);
  const slow = results.flatMap((r) =>
    r.slow.map((s) => [
      `\nSlow search on ${r.backend}: "${s.kind}" p99 ${s.p99.toFixed(0)} ms (> ${SLOW_MS} ms); slowest sample:`,
      `  ${s.sql}`,
      `  params: ${JSON.stringify(s.params)}`,
      `  ${r.backend === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN (ANALYZE, BUFFERS)'}:`,
      ...s.plan.map((l) => `    ${l}`),
    ].join('\n')),
  );
  return [table, '', ...notes, ...slow].join('\n');
}
