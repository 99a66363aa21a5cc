import { existsSync, readFileSync, rmSync } from 'node:fs';
import { summaryFile, type FigureLine } from './figures.js';

/**
 * The reliability suite's figures as one table: `node --import tsx test/reliability/summary.ts`.
 *
 * Every rel-spec records its figures with recordFigure() (figures.ts): one JSON line each, in
 * RELIABILITY_SUMMARY_FILE or the temporary folder. This prints the latest figure of each check,
 * database and size, numbered as the issue numbers the checks, and lists check 10 (deadlines under
 * faults), which lives in test/integration. `--reset` empties the file (run it before the suite so
 * the table shows only this run); `--file F` reads another file.
 */
const CHECKS: { n: number; title: string; names: string[]; spec: string }[] = [
  { n: 1, title: 'competing decisions', names: ['competing decisions'], spec: 'competing-decisions.rel-spec.ts' },
  {
    n: 2,
    title: 'forced interleaving',
    names: ['forced interleaving (HTTP expectedVersion)', 'engine races', 'forced interleaving (engine, PostgreSQL)'],
    spec: 'interleaving.rel-spec.ts',
  },
  { n: 3, title: 'ambiguous commit (Idempotency-Key)', names: ['ambiguous commit', 'ambiguous commit (simultaneous twins)'], spec: 'ambiguous-commit.rel-spec.ts' },
  { n: 4, title: 'model-based sequences', names: ['model-based'], spec: 'model.rel-spec.ts' },
  { n: 5, title: 'every path of every shipped chain', names: ['every path'], spec: 'paths.rel-spec.ts' },
  { n: 6, title: 'access matrix and mass assignment', names: ['access matrix', 'mass assignment'], spec: 'access-matrix.rel-spec.ts' },
  { n: 7, title: 'fuzzing the JSON routes', names: ['fuzz', 'fuzz aftermath'], spec: 'fuzz.rel-spec.ts' },
  { n: 8, title: 'crash (SIGKILL mid-load)', names: ['crash'], spec: 'crash.rel-spec.ts' },
  { n: 9, title: 'tokens and login throttling', names: ['bad tokens', 'login brute force', 'password spraying'], spec: 'tokens.rel-spec.ts' },
];

/** Check 10 lives in test/integration (jest project `integration`): what each test proves. */
const DEADLINES_UNDER_FAULTS: { spec: string; database: string; proves: string }[] = [
  {
    spec: 'deadlines.int-spec.ts',
    database: 'both',
    proves:
      'embedded poller, injected clock: reminder, deadline-passed, escalation and automatic approval each fire exactly once, audited and notified; ' +
      'a decision cancels the step timers and a duplicate delivery fires nothing; a deadline racing a decision: exactly one approval wins; ' +
      'a row that fails to fire does not stop the others and stays pending for the next pass',
  },
  {
    spec: 'deadline-load.int-spec.ts',
    database: 'both',
    proves: '10,000 deadlines (DEADLINE_LOAD_COUNT) due in the same second all fire exactly once (a second pass fires none), one audit entry and one notification each, the audit chain verifies',
  },
  {
    spec: 'bullmq-deadlines.int-spec.ts',
    database: 'both + Redis',
    proves: 'real Redis, real time: one BullMQ delayed job per deadline row (id dl-<row>-<version>); after FLUSHALL the reconciler restores 1,000 pending deadlines: every one fires, none twice',
  },
  {
    spec: 'worker-crash.int-spec.ts',
    database: 'postgres + Redis',
    proves: 'apps/worker as a real process SIGKILLed with 1,000 deadline effects pending, then restarted: all 1,000 fire (250 each of remind, deadline-passed, escalate, approve), none twice (skipped on SQLite)',
  },
];

function main(): void {
  const args = process.argv.slice(2);
  const fileArg = args.indexOf('--file');
  const file = fileArg >= 0 ? args[fileArg + 1] : summaryFile();
  if (args.includes('--reset')) {
    rmSync(file, { force: true });
    console.log(`reliability summary: emptied ${file}`);
    return;
  }
  const lines: FigureLine[] = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as FigureLine];
          } catch {
            return [];
          }
        })
    : [];
  // The latest figure of each check, database and size.
  const latest = new Map<string, FigureLine>();
  for (const l of lines) latest.set(`${l.check}|${l.database}|${l.size}`, l);

  const numberOf = (name: string) => CHECKS.find((c) => c.names.includes(name))?.n ?? 99;
  const indexOf = (name: string) => Math.max(0, CHECKS.find((c) => c.names.includes(name))?.names.indexOf(name) ?? 0);
  type Row = { key: (string | number)[]; cells: string[] };
  const rows: Row[] = [...latest.values()].map((l) => ({
    key: [numberOf(l.check), indexOf(l.check), l.check, l.database === 'sqlite' ? 0 : 1, l.size === 'quick' ? 0 : 1],
    cells: [numberOf(l.check) === 99 ? '?' : String(numberOf(l.check)), l.check, l.database, l.size, l.figure],
  }));
  const recorded = new Set(rows.map((r) => r.key[0]));
  for (const c of CHECKS) {
    if (!recorded.has(c.n)) rows.push({ key: [c.n, 0, '', 0, 0], cells: [String(c.n), c.names[0], '-', '-', `no figure recorded (${c.spec} not run, or it failed before its figure)`] });
  }
  DEADLINES_UNDER_FAULTS.forEach((d, i) =>
    rows.push({ key: [10, i, '', 0, 0], cells: ['10', `deadlines under faults: ${d.spec}`, d.database, 'integration', `proves: ${d.proves} (test/integration, not recorded here)`] }),
  );
  rows.sort((x, y) => {
    for (let i = 0; i < x.key.length; i++) if (x.key[i] !== y.key[i]) return x.key[i] < y.key[i] ? -1 : 1;
    return 0;
  });
  const table: string[][] = [['#', 'check', 'database', 'size', 'figure'], ...rows.map((r) => r.cells)];

  const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((row) => row[i].length)));
  const format = (row: string[]) => `${row.slice(0, 4).map((cell, i) => cell.padEnd(widths[i])).join(' | ')} | ${row[4]}`;
  console.log(`reliability summary (${lines.length} figures recorded in ${file}; the latest of each check, database and size)`);
  console.log(format(table[0]));
  console.log(`${widths.map((w) => '-'.repeat(w)).join('-|-')}-|-${'-'.repeat(6)}`);
  for (const row of table.slice(1)) console.log(format(row));
  console.log('\nChecks:');
  for (const c of CHECKS) console.log(`  ${c.n}. ${c.title} (test/reliability/${c.spec})`);
  console.log('  10. deadlines under faults (test/integration: deadlines, deadline-load, bullmq-deadlines, worker-crash; run by the integration project, figures not recorded here)');
}

main();
