import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { auditBench, auditTable, postgresUnreachable, SEARCH_KINDS, type AuditBenchResult } from './audit.bench.js';
import { deadlineLateness } from './deadline-lateness.bench.js';
import { table, type Figure, type Rate } from './stats.js';

/**
 * `npm run bench [-- --quick]`: prints a table and writes bench-results/latest.json. Figures are
 * measured on this machine in this run; later issues add stages (transitions, inbox).
 * PostgreSQL for the audit stage: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local `test` database.
 */
async function main() {
  const began = performance.now();
  const quick = process.argv.includes('--quick');
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const count = quick ? 100 : 600;
  const figures: Figure[] = [];
  for (const kind of ['embedded', 'bullmq'] as const) {
    process.stderr.write(`[bench] deadline lateness on ${kind}: ${count} deadlines due over 2–4 s…\n`);
    figures.push(await deadlineLateness(kind, count, redisUrl));
  }
  const deadlineFigures = [...figures];

  const auditOptions = quick
    ? { entries: 100_000, singleAppends: 1_000, batchedTransactions: 10, searchRounds: 8, postgresUrl }
    : { entries: 1_000_000, singleAppends: 5_000, batchedTransactions: 50, searchRounds: 40, postgresUrl };
  const audit: AuditBenchResult[] = [];
  process.stderr.write(`[bench] audit on sqlite: ${auditOptions.entries.toLocaleString('en-US')} entries…\n`);
  audit.push(await auditBench('sqlite', auditOptions));
  const pgSkipped = (await postgresUnreachable(postgresUrl)) ?? undefined;
  if (pgSkipped) process.stderr.write(`[bench] audit on postgres skipped: ${postgresUrl} unreachable (${pgSkipped})\n`);
  else {
    process.stderr.write(`[bench] audit on postgres: ${auditOptions.entries.toLocaleString('en-US')} entries…\n`);
    audit.push(await auditBench('postgres', auditOptions));
  }
  const rates: Rate[] = [];
  for (const r of audit) {
    figures.push(r.appendLatency, ...SEARCH_KINDS.map((k) => r.search[k]), r.searchOverall);
    rates.push(...[r.bulkLoad, r.appendSingle, r.appendBatched, r.verify].map((x) => ({ ...x, name: `audit ${x.name}, ${r.backend}` })));
  }

  const seconds = (performance.now() - began) / 1000;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
  console.log(`\nShenpi bench (${quick ? 'quick' : 'full'}) on ${machine}\n`);
  console.log(table(deadlineFigures));
  console.log('');
  console.log(auditTable(audit, pgSkipped));
  console.log(`\nAudit stage: ${audit.map((r) => `${r.backend} ${r.seconds.toFixed(0)} s`).join(', ')}; whole bench ${seconds.toFixed(0)} s.`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    'bench-results/latest.json',
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine,
        quick,
        seconds,
        figures,
        rates,
        audit: { entries: auditOptions.entries, postgresSkipped: pgSkipped ?? null, slowSearches: audit.flatMap((r) => r.slow.map((s) => ({ backend: r.backend, ...s }))) },
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
