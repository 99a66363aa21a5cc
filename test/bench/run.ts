import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { deadlineLateness } from './deadline-lateness.bench.js';
import { table, type Figure } from './stats.js';

/**
 * `npm run bench [-- --quick]`: prints a table and writes bench-results/latest.json. Figures are
 * measured on this machine in this run; later issues add stages (transitions, inbox, audit).
 */
async function main() {
  const quick = process.argv.includes('--quick');
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const count = quick ? 100 : 600;
  const figures: Figure[] = [];
  for (const kind of ['embedded', 'bullmq'] as const) {
    process.stderr.write(`[bench] deadline lateness on ${kind}: ${count} deadlines due over 2–4 s…\n`);
    figures.push(await deadlineLateness(kind, count, redisUrl));
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
  console.log(`\nShenpi bench (${quick ? 'quick' : 'full'}) on ${machine}\n`);
  console.log(table(figures));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/latest.json', JSON.stringify({ at: new Date().toISOString(), machine, quick, figures }, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
