import { performance } from 'node:perf_hooks';
import type { Principal } from '@shenpi/domain';
import type { Engine } from '@shenpi/engine';
import { BENCH_PASSWORD, cloneDocuments, fmt, freshDatabase, log, openEngine, principalOf, shuffled, split, template, type Backend, type Cloned } from './fixtures.js';
import { loadPerConnection, login, startApiServer, type LoadResult, type WriterStats } from './http.bench.js';
import { runsOf, summarize, type Runs } from './stats.js';
import { holdSqliteWal, meter, postgresWal, type PerDecision } from './write-cost.js';

/**
 * Transitions through the engine: each one a `lawful` decision by `counsel` on a normative
 * document at legality-review, which moves it to collective-deliberation (one assignee, not
 * final). Documents are cloned at legality-review beforehand (see fixtures.ts), so every
 * measured call is one full transition; each caller (or HTTP connection) decides tasks of its
 * own documents, so no two callers race for a document.
 */
export interface TransitionOptions {
  runs: number;
  /** Concurrent callers in-process, and connections over HTTP. */
  callers: number;
  /** A smaller number of callers in-process, run with the same work per run: more callers must not mean fewer decisions. */
  fewCallers: number;
  /** In-process: transitions per caller per run. */
  perCaller: number;
  /** In-process with one caller: transitions per run. */
  oneCallerPerRun: number;
  /** HTTP: decisions per connection per run. */
  perConnection: number;
  /** Warm-up before the measured runs: decisions per caller / connection (not counted). */
  warmPerCaller: number;
  postgresUrl: string;
}

export interface LatencyRuns {
  rate: Runs;
  p50: Runs;
  p99: Runs;
}

/** Per decision, each run's figure (write-cost.ts). */
export interface CostRuns {
  statements: Runs;
  cpuMicros: Runs;
  /** WAL pages (SQLite frames) per decision, from a run of its own with no checkpoint; PostgreSQL has no pages here (undefined). */
  walPages?: Runs;
  walBytes?: Runs;
  /** SQLite: that run's pages per decision by the table or index they belong to, most first. */
  walByTree?: { tree: string; pages: number }[];
}

export interface TransitionResult {
  backend: Backend;
  /** In-process, all callers: statements and CPU (this process: engine and callers) per decision; WAL as CostRuns says. */
  inProcessCost: CostRuns;
  /** Over HTTP: statements and CPU of the API process per decision. */
  httpCost: CostRuns;
  oneCaller: LatencyRuns;
  inProcess: LatencyRuns;
  /** In-process with `fewCallers` callers, as many transitions per run as with all of them. */
  fewCallers: LatencyRuns;
  /** PostgreSQL: how long the measured in-process decisions' audit entries waited in the intake (ms since their time). */
  sequencerWait?: { p50: number; p99: number; max: number; samples: number };
  /** Writer queue over the measured in-process runs (SQLite group commit; PostgreSQL: one transaction per job, not counted). */
  inProcessWriter: WriterStats;
  http: LatencyRuns;
  /** How long until every connection had its first answer (the API accepts connections slowly while busy). */
  httpRampMs: Runs;
  httpWriter: WriterStats;
  httpFailures: { non2xx: number; errors: number; first?: string };
  /** Transitions per run: in-process 50 callers, one caller, HTTP. */
  sizes: { inProcess: number; oneCaller: number; http: number };
  seconds: number;
}

const costRuns = (name: string, runs: PerDecision[], wal?: { pages?: number[]; bytes: number[]; byTree?: { tree: string; pages: number }[] }): CostRuns => ({
  statements: runsOf(`${name} statements`, 'statements/decision', runs.map((r) => r.statements)),
  cpuMicros: runsOf(`${name} CPU`, 'µs/decision', runs.map((r) => r.cpuMicros)),
  ...(wal?.pages ? { walPages: runsOf(`${name} WAL pages`, 'pages/decision', wal.pages) } : {}),
  ...(wal ? { walBytes: runsOf(`${name} WAL bytes`, 'bytes/decision', wal.bytes) } : {}),
  ...(wal?.byTree ? { walByTree: wal.byTree } : {}),
});

const latencyRuns = (name: string, results: { rate: number; p50: number; p99: number }[]): LatencyRuns => ({
  rate: runsOf(`${name} rate`, 'transitions/s', results.map((r) => r.rate)),
  p50: runsOf(`${name} p50`, 'ms', results.map((r) => r.p50)),
  p99: runsOf(`${name} p99`, 'ms', results.map((r) => r.p99)),
});

/** `lists.length` callers at once, each deciding its documents' open tasks one after another. */
async function inProcessRun(engine: Engine, counsel: Principal, lists: Cloned[][]): Promise<{ rate: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    lists.map(async (list) => {
      for (const c of list) {
        const s = performance.now();
        const r = await engine.transition.execute({ documentId: c.documentId, taskId: c.openTaskIds[0], action: 'lawful', principal: counsel });
        latencies.push(performance.now() - s);
        if (r.document.state !== 'collective-deliberation') throw new Error(`lawful moved ${c.documentId} to ${r.document.state}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const f = summarize('', 'ms', latencies);
  return { rate: latencies.length / seconds, p50: f.p50, p99: f.p99 };
}

const costLine = (c: PerDecision, walBytes?: number) =>
  `${c.statements.toFixed(1)} statements, ${fmt(c.cpuMicros)} µs CPU${walBytes === undefined ? '' : `, ${fmt(walBytes)} WAL bytes`} per decision`;
const show = (r: { rate: number; p50: number; p99: number }) => `${fmt(r.rate)} transitions/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`;
const decisionPaths = (lists: Cloned[][]) => lists.map((list) => list.map((c) => `/api/tasks/${c.openTaskIds[0]}/decision`));
const BODY = JSON.stringify({ decision: 'lawful' });

export async function transitionsBench(backend: Backend, opts: TransitionOptions): Promise<TransitionResult> {
  const began = performance.now();
  const db = freshDatabase(backend, opts.postgresUrl, 'transitions');
  try {
    const warmCallers = opts.callers * opts.warmPerCaller;
    const sizes = { inProcess: opts.callers * opts.perCaller, oneCaller: opts.oneCallerPerRun, http: opts.callers * opts.perConnection };
    // One-caller runs, all-callers runs, HTTP runs, few-callers runs, and (SQLite) the all-callers run measuring the WAL.
    const walRuns = backend === 'sqlite' ? 1 : 0;
    const need = [20 + opts.runs * sizes.oneCaller, warmCallers + opts.runs * sizes.inProcess, warmCallers + opts.runs * sizes.http, opts.runs * sizes.inProcess, walRuns * sizes.inProcess];
    let engine = await openEngine(db);
    let clones: Cloned[];
    const inProcess: { rate: number; p50: number; p99: number }[] = [];
    const oneCaller: { rate: number; p50: number; p99: number }[] = [];
    const fewCallers: { rate: number; p50: number; p99: number }[] = [];
    let sequencerWait: TransitionResult['sequencerWait'];
    const inProcessCost: PerDecision[] = [];
    const wal: { pages?: number[]; bytes: number[]; byTree?: { tree: string; pages: number }[] } = { bytes: [] };
    let inProcessWriter: WriterStats;
    try {
      await engine.directory.seedDemo(BENCH_PASSWORD);
      const before = await template(engine, [['drafter', 'submit']]);
      const total = need.reduce((a, b) => a + b, 0);
      log(`transitions on ${backend}: cloning ${fmt(total)} documents at legality-review…`);
      // Callers decide documents in a random order, as reviewers do, not in the order they were made.
      clones = shuffled(await cloneDocuments(engine, [before], total), 6963);
      const counsel = await principalOf(engine, 'counsel');

      let pool = clones.slice(0, need[0]);
      log(`transitions on ${backend}: in-process, 1 caller, ${opts.runs} runs × ${fmt(sizes.oneCaller)}…`);
      await inProcessRun(engine, counsel, [pool.slice(0, 20)]);
      for (const list of split(pool.slice(20), opts.runs, sizes.oneCaller)) {
        oneCaller.push(await inProcessRun(engine, counsel, [list]));
        log(`  run ${oneCaller.length}: ${show(oneCaller.at(-1)!)}`);
      }

      pool = clones.slice(need[0], need[0] + need[1]);
      log(`transitions on ${backend}: in-process, ${opts.callers} callers, ${opts.runs} runs × ${fmt(sizes.inProcess)}…`);
      await inProcessRun(engine, counsel, split(pool.slice(0, warmCallers), opts.callers, opts.warmPerCaller));
      Object.assign(engine.writer.stats, { commits: 0, jobs: 0, largestBatch: 0 });
      engine.auditSequencer.stats.waitedMs.length = 0;
      for (const run of split(pool.slice(warmCallers), opts.runs, sizes.inProcess)) {
        const pgWal = backend === 'postgres' ? await postgresWal(opts.postgresUrl) : null;
        const cost = meter();
        inProcess.push(await inProcessRun(engine, counsel, split(run, opts.callers, opts.perCaller)));
        inProcessCost.push(cost.per(run.length));
        if (pgWal) wal.bytes.push((await pgWal.read()) / run.length);
        await pgWal?.release();
        log(`  run ${inProcess.length}: ${show(inProcess.at(-1)!)}, ${costLine(inProcessCost.at(-1)!, pgWal ? wal.bytes.at(-1) : undefined)}`);
      }
      inProcessWriter = { ...engine.writer.stats };
      const waits = engine.auditSequencer.stats.waitedMs;
      if (waits.length) {
        const f = summarize('', 'ms', waits);
        sequencerWait = { p50: f.p50, p99: f.p99, max: f.max, samples: f.samples };
        log(`  audit entries waited to be sequenced: p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(1)} ms (${fmt(f.samples)} entries)`);
      }

      pool = clones.slice(need[0] + need[1] + need[2], need[0] + need[1] + need[2] + need[3]);
      log(`transitions on ${backend}: in-process, ${opts.fewCallers} callers, ${opts.runs} runs × ${fmt(sizes.inProcess)}…`);
      for (const run of split(pool, opts.runs, sizes.inProcess)) {
        fewCallers.push(await inProcessRun(engine, counsel, split(run, opts.fewCallers, sizes.inProcess / opts.fewCallers)));
        log(`  run ${fewCallers.length}: ${show(fewCallers.at(-1)!)}`);
      }
      if (walRuns) {
        pool = clones.slice(need[0] + need[1] + need[2] + need[3]);
        log(`transitions on ${backend}: in-process, ${opts.callers} callers, 1 run × ${fmt(sizes.inProcess)} with the WAL held (no checkpoint), counting its pages…`);
        const held = holdSqliteWal(db.config.sqlitePath);
        try {
          await inProcessRun(engine, counsel, split(pool, opts.callers, opts.perCaller));
          const { pages, bytes, byTree } = held.read();
          wal.pages = [pages / pool.length];
          wal.bytes.push(bytes / pool.length);
          wal.byTree = [...byTree].sort((a, b) => b[1] - a[1]).map(([tree, frames]) => ({ tree, pages: frames / pool.length }));
          log(`  WAL: ${wal.pages[0].toFixed(1)} pages, ${fmt(wal.bytes[0])} bytes per decision; by B-tree: ${wal.byTree.map((t) => `${t.tree} ${t.pages.toFixed(2)}`).join(', ')}`);
        } finally {
          held.release();
        }
      }
      const moved = await engine.database.reader.one<{ n: number }>("SELECT COUNT(*) AS n FROM documents WHERE state = 'collective-deliberation'");
      const expected = need[0] + need[1] + need[3] + need[4];
      if (Number(moved!.n) !== expected) throw new Error(`transitions on ${backend}: ${moved!.n} documents moved, expected ${expected}`);
    } finally {
      await engine.close();
    }

    log(`transitions on ${backend}: HTTP (API in a child process), ${opts.callers} connections, ${opts.runs} runs × ${fmt(sizes.http)}…`);
    const pool = clones.slice(need[0] + need[1], need[0] + need[1] + need[2]);
    const server = await startApiServer(db);
    const http: (LoadResult & { rampMs: number })[] = [];
    const httpCost: PerDecision[] = [];
    let httpWriter: WriterStats;
    try {
      const token = await login(server.url, 'counsel', BENCH_PASSWORD);
      const warm = await loadPerConnection(server.url, token, 'POST', decisionPaths(split(pool.slice(0, warmCallers), opts.callers, opts.warmPerCaller)), BODY);
      if (warm.non2xx || warm.errors) throw new Error(`transitions on ${backend}: HTTP warm-up failed: ${warm.non2xx} non-2xx, ${warm.errors} errors; ${warm.firstFailure ?? ''}`);
      await server.resetStats();
      for (const run of split(pool.slice(warmCallers), opts.runs, sizes.http)) {
        const before = await server.stats();
        http.push(await loadPerConnection(server.url, token, 'POST', decisionPaths(split(run, opts.callers, opts.perConnection)), BODY));
        const after = await server.stats();
        // The stats request itself runs no SQL.
        httpCost.push({ statements: (after.statements - before.statements) / run.length, cpuMicros: (after.cpuMicros - before.cpuMicros) / run.length });
        log(`  run ${http.length}: ${show(http.at(-1)!)}, connection ramp ${fmt(http.at(-1)!.rampMs)} ms, API ${costLine(httpCost.at(-1)!)}`);
      }
      httpWriter = (await server.stats()).writer;
    } finally {
      await server.stop();
    }
    const failures = { non2xx: http.reduce((a, r) => a + r.non2xx, 0), errors: http.reduce((a, r) => a + r.errors, 0), first: http.find((r) => r.firstFailure)?.firstFailure };
    if (failures.non2xx || failures.errors) log(`transitions on ${backend}: HTTP failures: ${failures.non2xx} non-2xx, ${failures.errors} errors; ${failures.first ?? ''}`);

    // Every HTTP decision must have moved its document too.
    engine = await openEngine(db);
    try {
      const moved = await engine.database.reader.one<{ n: number }>("SELECT COUNT(*) AS n FROM documents WHERE state = 'collective-deliberation'");
      const expected = need.reduce((a, b) => a + b, 0);
      if (Number(moved!.n) !== expected) throw new Error(`transitions on ${backend}: ${moved!.n} documents moved after HTTP, expected ${expected}`);
    } finally {
      await engine.close();
    }

    return {
      backend,
      inProcessCost: costRuns(`engine ${opts.callers} callers, ${backend}`, inProcessCost, wal.bytes.length ? wal : undefined),
      httpCost: costRuns(`HTTP ${opts.callers} connections, ${backend}`, httpCost),
      oneCaller: latencyRuns(`engine 1 caller, ${backend}`, oneCaller),
      inProcess: latencyRuns(`engine ${opts.callers} callers, ${backend}`, inProcess),
      fewCallers: latencyRuns(`engine ${opts.fewCallers} callers, ${backend}`, fewCallers),
      sequencerWait,
      inProcessWriter: inProcessWriter!,
      http: latencyRuns(`HTTP ${opts.callers} connections, ${backend}`, http),
      httpRampMs: runsOf(`HTTP connection ramp, ${backend}`, 'ms', http.map((r) => r.rampMs)),
      httpWriter: httpWriter!,
      httpFailures: failures,
      sizes,
      seconds: (performance.now() - began) / 1000,
    };
  } finally {
    // BENCH_KEEP=1 keeps the database (PostgreSQL: its schema, bench_transitions_…) to look at its plans afterwards.
    if (!process.env.BENCH_KEEP) await db.drop();
  }
}
