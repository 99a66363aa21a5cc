import type { FloorResult } from './floor.bench.js';
import type { InboxResult } from './inbox.bench.js';
import type { WriterStats } from './http.bench.js';
import type { PeerResult } from './peer.bench.js';
import { grid, num, ratioOf, spread, type Runs } from './stats.js';
import type { LatencyRuns, TransitionResult } from './transitions.bench.js';

const latency = (l: LatencyRuns | undefined) => (l ? `${num(l.p50.median)} / ${num(l.p99.median)} (p99 ${num(l.p99.min)}–${num(l.p99.max)})` : '');
const batching = (w: WriterStats | undefined, backend: string) =>
  !w ? '' : backend === 'postgres' ? 'n/a: 1 transaction per job' : w.commits ? `${fmtInt(w.commits)} commits, ${(w.jobs / w.commits).toFixed(1)} jobs/commit, largest ${w.largestBatch}` : '';
const walCell = (e: TransitionResult) => {
  const c = e.inProcessCost;
  if (!c.walBytes) return '';
  const bytes = `${fmtInt(c.walBytes.median)} B`;
  return c.walPages ? `${num(c.walPages.median)} pages / ${bytes}` : `${bytes} (server WAL, each run)`;
};
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

export interface TransitionReport {
  floor?: FloorResult;
  engines: TransitionResult[];
  peer?: PeerResult;
  postgresSkipped?: string;
  /** Why the PostgreSQL column is empty although the server answers (e.g. a quick run). */
  postgresNotRun?: string;
  callers: number;
  /** The smaller number of in-process callers the engines were also run with. */
  fewCallers: number;
  batch: number;
}

/** Floor, engine in-process and over HTTP, and the peer, side by side on SQLite and PostgreSQL. */
export function transitionsTable(r: TransitionReport): string {
  const lite = r.engines.find((e) => e.backend === 'sqlite');
  const post = r.engines.find((e) => e.backend === 'postgres');
  const skipped = r.postgresSkipped ? 'skipped' : r.postgresNotRun ? 'not run' : '';
  const pgFloor = r.floor?.postgres;
  const col = (get: (e: TransitionResult) => string) => [lite ? get(lite) : '', post ? get(post) : skipped];
  const rows: string[][] = [];
  if (r.floor) {
    rows.push(['floor: raw SQL, 1 transition/transaction (transitions/s)', spread(r.floor.sqliteOne), pgFloor ? `${spread(pgFloor)} [${r.callers} callers]` : skipped]);
    rows.push([`floor: raw SQL, ${r.batch} transitions/transaction (transitions/s)`, spread(r.floor.sqliteBatched), '']);
    rows.push(['floor: XState restore + send + JSON.stringify (ops/s, 1 core)', spread(r.floor.xstate), '(same)']);
  }
  if (r.engines.length) {
    rows.push(['engine in-process, 1 caller (transitions/s)', ...col((e) => spread(e.oneCaller.rate))]);
    rows.push(['  latency p50 / p99 (ms)', ...col((e) => latency(e.oneCaller))]);
    if (r.floor) rows.push(['  ÷ floor 1/transaction', ratioOf(lite?.oneCaller.rate, r.floor.sqliteOne), post ? ratioOf(post.oneCaller.rate, pgFloor) : '']);
    rows.push([`engine in-process, ${r.callers} callers (transitions/s)`, ...col((e) => spread(e.inProcess.rate))]);
    rows.push(['  latency p50 / p99 (ms)', ...col((e) => latency(e.inProcess))]);
    if (r.floor) {
      rows.push(['  ÷ floor 1/transaction', ratioOf(lite?.inProcess.rate, r.floor.sqliteOne), post ? ratioOf(post.inProcess.rate, pgFloor) : '']);
      rows.push([`  ÷ floor ${r.batch}/transaction`, ratioOf(lite?.inProcess.rate, r.floor.sqliteBatched), '']);
    }
    rows.push(['  writer queue (group commit)', ...col((e) => batching(e.inProcessWriter, e.backend))]);
    rows.push(['  SQL statements per decision (every connection, BEGIN/COMMIT/SAVEPOINT included)', ...col((e) => spread(e.inProcessCost.statements))]);
    rows.push(['  CPU per decision, bench process: engine and callers (µs)', ...col((e) => spread(e.inProcessCost.cpuMicros))]);
    rows.push(['  WAL per decision: SQLite pages (a run of its own, no checkpoint) / bytes', ...col((e) => walCell(e))]);
    rows.push(['  WAL pages per decision by B-tree, the six most', ...col((e) => (e.inProcessCost.walByTree ?? []).slice(0, 6).map((t) => `${t.tree} ${num(t.pages)}`).join(', '))]);
    rows.push(['  audit entry waited to be sequenced p50 / p99 / max (ms)', ...col((e) => (e.sequencerWait ? `${num(e.sequencerWait.p50)} / ${num(e.sequencerWait.p99)} / ${num(e.sequencerWait.max)}` : 'n/a: chained in the transaction'))]);
    rows.push([`engine in-process, ${r.fewCallers} callers (transitions/s)`, ...col((e) => spread(e.fewCallers.rate))]);
    rows.push([`  ${r.callers} callers ÷ ${r.fewCallers} callers`, ...col((e) => ratioOf(e.inProcess.rate, e.fewCallers.rate))]);
    rows.push([`engine over HTTP, ${r.callers} connections (transitions/s)`, ...col((e) => spread(e.http.rate))]);
    rows.push(['  latency p50 / p99 (ms), each connection\'s opening request not counted', ...col((e) => latency(e.http))]);
    rows.push([`  connection ramp: all ${r.callers} connections answered once (ms)`, ...col((e) => spread(e.httpRampMs))]);
    if (r.floor) rows.push(['  ÷ floor 1/transaction', ratioOf(lite?.http.rate, r.floor.sqliteOne), post ? ratioOf(post.http.rate, pgFloor) : '']);
    if (r.floor) rows.push([`  ÷ floor ${r.batch}/transaction`, ratioOf(lite?.http.rate, r.floor.sqliteBatched), '']);
    rows.push([`  ÷ in-process ${r.callers} callers`, ...col((e) => ratioOf(e.http.rate, e.inProcess.rate))]);
    rows.push(['  writer queue (group commit)', ...col((e) => batching(e.httpWriter, e.backend))]);
    rows.push(['  SQL statements per decision, API process', ...col((e) => spread(e.httpCost.statements))]);
    rows.push(['  API CPU per decision (µs)', ...col((e) => spread(e.httpCost.cpuMicros))]);
  }
  if (r.peer) {
    rows.push(['peer: bpmn-engine, 1 caller, state saved per step (approvals/s)', spread(r.peer.approvals), '']);
    rows.push(['  latency p50 / p99 (ms)', `${num(r.peer.p50.median)} / ${num(r.peer.p99.median)} (p99 ${num(r.peer.p99.min)}–${num(r.peer.p99.max)})`, '']);
    const vs = (label: string, get: (e: TransitionResult) => Runs) => rows.push([`  Shenpi ${label} ÷ bpmn-engine`, ...col((e) => ratioOf(get(e), r.peer!.approvals))]);
    if (r.engines.length) {
      vs('in-process, 1 caller', (e) => e.oneCaller.rate);
      vs(`in-process, ${r.callers} callers`, (e) => e.inProcess.rate);
      vs(`HTTP, ${r.callers} connections`, (e) => e.http.rate);
    }
  }
  const notes = ['Each figure: median of the runs (min–max). Ratios: of medians, measured in this run on this machine.'];
  if (r.floor) {
    notes.push(
      `Floor = the rows one \`lawful\` decision writes (document UPDATE; task UPDATE + INSERT; ${r.floor.writes.newDeadlines} deadline INSERTs; SQLite: audit INSERT, audit_head following by trigger, PostgreSQL: audit intake INSERT), ` +
        'with the driver alone, for documents in a random order with their timers spread over 90 days: better-sqlite3 (WAL, synchronous=FULL, checkpoints in a thread as the engine has them) one after another; on PostgreSQL pg with a pool of 20.',
    );
  }
  if (lite) {
    notes.push(
      'Engine: engine.transition.execute (PostgreSQL: pool of 20); over HTTP: POST /api/tasks/:id/decision with a real login/JWT, autocannon in the bench process, ' +
        'the API (createApp, no scheduler) in a child process; every connection decides tasks of its own documents. Transitions per run: ' +
        r.engines.map((e) => `${e.backend} ${fmtInt(e.sizes.oneCaller)} (1 caller), ${fmtInt(e.sizes.inProcess)} (${r.callers} callers), ${fmtInt(e.sizes.http)} (HTTP)`).join('; ') + '.',
    );
  }
  if (r.peer) notes.push(`Peer: bpmn-engine, 3 user tasks in sequence, recover + resume + signal + getState + JSON → better-sqlite3 row (synchronous=FULL) per approval; state ${fmtInt(r.peer.stateBytes)} bytes. No audit, tasks or deadlines. Both columns divide by this same SQLite-persisted peer.`);
  if (lite && lite.httpWriter.commits && lite.httpWriter.jobs / lite.httpWriter.commits < 2 && lite.inProcessWriter.jobs / Math.max(1, lite.inProcessWriter.commits) >= 10) {
    notes.push(
      'SQLite over HTTP: the writer queue commits each decision alone (in-process callers batch). better-sqlite3 is synchronous, so a job starts its commit at once, ' +
        'in the microtasks of the request that queued it, before the event loop reads the other connections\' requests.',
    );
  }
  if (r.postgresSkipped) notes.push(`PostgreSQL skipped: ${r.postgresSkipped}`);
  else if (r.postgresNotRun) notes.push(`PostgreSQL not run: ${r.postgresNotRun}`);
  for (const e of r.engines) {
    if (e.httpFailures.non2xx || e.httpFailures.errors) notes.push(`HTTP on ${e.backend}: ${e.httpFailures.non2xx} non-2xx, ${e.httpFailures.errors} errors; first: ${e.httpFailures.first ?? ''}`);
  }
  return [grid(['transitions (normative-document, lawful: legality-review → collective-deliberation)', 'SQLite (embedded)', 'PostgreSQL'], rows), '', ...notes].join('\n');
}

const statementsCell = (r: InboxResult) => {
  const kinds = r.inProcess.statementKinds;
  if (kinds.length <= 1) return String(r.inProcess.statementsPerCall);
  return `${r.inProcess.statementsPerCall}: ${kinds.map((k) => `${k.count} × ${k.text.slice(0, 40)}…`).join(', ')}`;
};

export function inboxTable(r: InboxResult): string {
  const rows = [
    ['documents / audit entries / open tasks for counsel', `${fmtInt(r.documents)} / ${fmtInt(r.auditEntries)} / ${fmtInt(r.openForCounsel)}`],
    [`GET /api/tasks over HTTP, 10 connections, ${fmtInt(r.requestsPerRun)} requests per run (requests/s)`, spread(r.rate)],
    ['  latency p50 (ms)', spread(r.p50)],
    ['  latency p99 (ms)', spread(r.p99)],
    [`GET /api/tasks over HTTP, one connection, ${fmtInt(r.single.requests)} requests per run: latency p50 (ms)`, spread(r.single.p50)],
    ['  latency p99 (ms)', spread(r.single.p99)],
    ['in-process Queries.inbox, limit 50 (ms, median of 5–20 calls per run)', spread(r.inProcess.whole)],
    ['  its list statement alone (tasks JOIN documents, ms)', spread(r.inProcess.listQuery)],
    ['  SQL statements per call', statementsCell(r)],
    ['  for comparison: the list as UNION ALL of per-branch LIMITed scans (ms)', `${spread(r.inProcess.alternative.listQuery)}${r.inProcess.alternative.sameRows ? ', same rows' : ', ROWS DIFFER'}`],
    ['API resident memory (RSS) at start → after the runs', `${mib(r.memory.rssAtStart)} → ${mib(r.memory.rssAfter)} (heap used ${mib(r.memory.heapUsedAfter)})`],
    [
      "  of which the bench's TypeScript loader (its hooks; absent from compiled JS)",
      r.memory.loaderBytes === null ? 'not measured (quick run)' : `≈ ${mib(r.memory.loaderBytes)} (module graph loaded with and without it)`,
    ],
    ['database file', r.memory.databaseBytes === null ? '' : mib(r.memory.databaseBytes)],
  ];
  const notes = [
    'Inbox: documents, tasks and deadline rows bulk-loaded with SQL (copies of five engine-made documents, one per stage of the chain), audit entries by fillAudit;',
    'the API runs in a child process (RSS is that process alone, read over IPC after the runs); each figure median (min–max) of the runs.',
    `List statement: ${r.inProcess.sql}`,
    'EXPLAIN QUERY PLAN:',
    ...r.inProcess.plan.map((l) => `  ${l}`),
    `For comparison (not the app's statement): ${r.inProcess.alternative.sql}`,
    'EXPLAIN QUERY PLAN:',
    ...r.inProcess.alternative.plan.map((l) => `  ${l}`),
  ];
  if (r.failures.non2xx || r.failures.errors) notes.push(`HTTP failures: ${r.failures.non2xx} non-2xx, ${r.failures.errors} errors; first: ${r.failures.first ?? ''}`);
  return [grid([`inbox on ${r.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (counsel)`, 'value'], rows), '', ...notes].join('\n');
}
