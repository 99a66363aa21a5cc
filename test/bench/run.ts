import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { targetsTable } from './targets.js';
import { auditBench, auditTable, postgresUnreachable, SEARCH_KINDS, type AuditBenchResult } from './audit.bench.js';
import { deadlineLateness } from './deadline-lateness.bench.js';
import { floorBench, type FloorResult } from './floor.bench.js';
import { inboxBench, type InboxResult } from './inbox.bench.js';
import { lintBench, lintTable, type LintResult } from './lint.bench.js';
import { peerBench, type PeerResult } from './peer.bench.js';
import { inboxTable, transitionsTable } from './report.js';
import { table, type Figure, type Rate } from './stats.js';
import { transitionsBench, type TransitionResult } from './transitions.bench.js';

const STAGES = ['lint', 'deadline', 'audit', 'floor', 'transitions', 'peer', 'inbox'] as const;
type Stage = (typeof STAGES)[number];

/**
 * `npm run bench [-- --quick] [-- --only=floor,transitions] [-- --backends=postgres]`: prints tables and writes
 * bench-results/latest.json. Figures are measured on this machine in this run.
 * PostgreSQL (audit and transition stages): BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local `test` database.
 */
async function main() {
  const began = performance.now();
  const loadAtStart = loadavg();
  const quick = process.argv.includes('--quick');
  const onlyArg = process.argv.find((a) => a.startsWith('--only='));
  const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : [...STAGES];
  const unknown = only.filter((s) => !STAGES.includes(s as Stage));
  if (unknown.length) throw new Error(`unknown stage(s): ${unknown.join(', ')}; stages: ${STAGES.join(', ')}`);
  const runs = (stage: Stage) => only.includes(stage);
  const backendsArg = process.argv.find((a) => a.startsWith('--backends='));
  const backends = backendsArg ? backendsArg.slice('--backends='.length).split(',') : ['sqlite', 'postgres'];
  const stageSeconds: Record<string, number> = {};
  const timed = async <T>(stage: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      stageSeconds[stage] = (stageSeconds[stage] ?? 0) + (performance.now() - t0) / 1000;
    }
  };
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const count = quick ? 100 : 600;
  const figures: Figure[] = [];
  let lint: LintResult | undefined;
  if (runs('lint')) {
    process.stderr.write('[bench] chain lint against seats and steps…\n');
    lint = await timed('lint', () => lintBench(quick ? { runs: 3, everyOrderSeats: [4, 8] } : { runs: 5, everyOrderSeats: [4, 8, 10] }));
  }
  for (const kind of runs('deadline') ? (['embedded', 'bullmq'] as const) : []) {
    process.stderr.write(`[bench] deadline lateness on ${kind}: ${count} deadlines due over 2–4 s…\n`);
    figures.push(await timed('deadline', () => deadlineLateness(kind, count, redisUrl)));
  }
  const deadlineFigures = [...figures];

  const auditOptions = quick
    ? { entries: 100_000, singleAppends: 1_000, batchedTransactions: 10, searchRounds: 8, postgresUrl }
    : { entries: 1_000_000, singleAppends: 5_000, batchedTransactions: 50, searchRounds: 40, postgresUrl };
  const audit: AuditBenchResult[] = [];
  const pgSkipped = (await postgresUnreachable(postgresUrl)) ?? undefined;
  if (runs('audit')) {
    process.stderr.write(`[bench] audit on sqlite: ${auditOptions.entries.toLocaleString('en-US')} entries…\n`);
    audit.push(await timed('audit', () => auditBench('sqlite', auditOptions)));
    if (pgSkipped) process.stderr.write(`[bench] audit on postgres skipped: ${postgresUrl} unreachable (${pgSkipped})\n`);
    else {
      process.stderr.write(`[bench] audit on postgres: ${auditOptions.entries.toLocaleString('en-US')} entries…\n`);
      audit.push(await timed('audit', () => auditBench('postgres', auditOptions)));
    }
  }
  const rates: Rate[] = [];
  for (const r of audit) {
    figures.push(r.appendLatency, ...SEARCH_KINDS.map((k) => r.search[k]), r.searchOverall);
    rates.push(...[r.bulkLoad, r.appendSingle, r.appendBatched, r.verify].map((x) => ({ ...x, name: `audit ${x.name}, ${r.backend}` })));
  }

  // Transitions: the floor under one, the engine in-process and over HTTP, and the peer.
  const callers = 50;
  const fewCallers = 10;
  const batch = 50;
  const floorOptions = quick
    ? { runs: 3, perRun: 400, perRunPostgres: 500, batch, callers, xstateOps: 5_000, postgresUrl }
    : { runs: 3, perRun: 3_000, perRunPostgres: 1_000, batch, callers, xstateOps: 30_000, postgresUrl };
  // PostgreSQL runs about a third of SQLite's sizes (it is several times slower); a quick run leaves it out.
  const transitionOptions = {
    sqlite: quick
      ? { runs: 3, callers, fewCallers, perCaller: 4, oneCallerPerRun: 60, perConnection: 5, warmPerCaller: 2, postgresUrl }
      : { runs: 3, callers, fewCallers, perCaller: 60, oneCallerPerRun: 600, perConnection: 40, warmPerCaller: 8, postgresUrl },
    postgres: { runs: 3, callers, fewCallers, perCaller: 20, oneCallerPerRun: 200, perConnection: 16, warmPerCaller: 4, postgresUrl },
  };
  const postgresNotRun = quick ? 'a quick run measures transitions on SQLite only (npm run bench for PostgreSQL)' : undefined;
  const peerOptions = quick ? { runs: 3, perRun: 100 } : { runs: 3, perRun: 600 };
  const inboxOptions = quick
    ? { documents: 10_000, auditEntries: 100_000, runs: 3, requests: 150, runSeconds: 1, connections: 10, measureLoader: false, postgresUrl }
    : { documents: 100_000, auditEntries: 1_000_000, runs: 3, requests: 2_000, runSeconds: 15, connections: 10, measureLoader: true, postgresUrl };
  if (pgSkipped && (runs('floor') || runs('transitions'))) process.stderr.write(`[bench] transitions on postgres skipped: ${postgresUrl} unreachable (${pgSkipped})\n`);
  let floor: FloorResult | undefined;
  if (runs('floor')) floor = await timed('floor', () => floorBench(floorOptions, !pgSkipped && !postgresNotRun));
  let peer: PeerResult | undefined;
  if (runs('peer')) peer = await timed('peer', () => peerBench(peerOptions));
  const engines: TransitionResult[] = [];
  for (const backend of runs('transitions') ? (['sqlite', 'postgres'] as const) : []) {
    if (!backends.includes(backend) || (backend === 'postgres' && (pgSkipped || postgresNotRun))) continue;
    engines.push(await timed('transitions', () => transitionsBench(backend, transitionOptions[backend])));
  }
  let inbox: InboxResult | undefined;
  if (runs('inbox')) {
    process.stderr.write(`[bench] inbox on sqlite: ${inboxOptions.documents.toLocaleString('en-US')} documents, ${inboxOptions.auditEntries.toLocaleString('en-US')} audit entries…\n`);
    inbox = await timed('inbox', () => inboxBench(inboxOptions));
  }

  const seconds = (performance.now() - began) / 1000;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
  const loadAtEnd = loadavg();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  console.log(`\nShenpi bench (${quick ? 'quick' : 'full'}) on ${machine}; load average ${load(loadAtStart)} at start, ${load(loadAtEnd)} at end\n`);
  if (lint) console.log(`${lintTable(lint)}\n`);
  if (deadlineFigures.length) console.log(`${table(deadlineFigures)}\n`);
  if (audit.length) console.log(`${auditTable(audit, pgSkipped)}\n\nAudit stage: ${audit.map((r) => `${r.backend} ${r.seconds.toFixed(0)} s`).join(', ')}.\n`);
  if (floor || engines.length || peer) console.log(`${transitionsTable({ floor, engines, peer, postgresSkipped: pgSkipped, postgresNotRun, callers, fewCallers, batch })}\n`);
  if (inbox) console.log(`${inboxTable(inbox)}\n`);
  const targets = targetsTable({ audit, engines, floor, inbox, quick });
  if (targets) console.log(`${targets}\n`);
  console.log(`Stages: ${Object.entries(stageSeconds).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(', ')}; whole bench ${seconds.toFixed(0)} s.`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    'bench-results/latest.json',
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine,
        loadAverage: { start: loadAtStart, end: loadAtEnd },
        quick,
        seconds,
        figures,
        rates,
        stages: only,
        stageSeconds,
        audit: { entries: auditOptions.entries, postgresSkipped: pgSkipped ?? null, slowSearches: audit.flatMap((r) => r.slow.map((s) => ({ backend: r.backend, ...s }))) },
        transitions: { options: { floor: floorOptions, engine: transitionOptions, peer: peerOptions }, floor: floor ?? null, engines, peer: peer ?? null },
        inbox: inbox ? { options: inboxOptions, ...inbox } : null,
        lint: lint ?? null,
        memory: inbox ? { apiRssBytes: inbox.memory.rssAfter, atDocuments: inbox.documents, process: 'API child process (test/support/api-process.ts), after the inbox runs' } : null,
      },
      null,
      2,
    ),
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
