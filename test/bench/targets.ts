import type { AuditBenchResult } from './audit.bench.js';
import type { FloorResult } from './floor.bench.js';
import type { InboxResult } from './inbox.bench.js';
import { grid, num } from './stats.js';
import type { TransitionResult } from './transitions.bench.js';

/**
 * The figures the open performance issues set targets for: each as it stood when its issue was
 * filed, its target, and this run's (median of the runs), with whether this run meets it. A stage
 * that did not run leaves its rows out. The lean floors the targets are held against are printed
 * beside, from the same run: a target above its floor is out of this machine's reach at that hour.
 */
export interface TargetInputs {
  audit: AuditBenchResult[];
  engines: TransitionResult[];
  floor?: FloorResult;
  inbox?: InboxResult;
  /** A quick run measures smaller logs and databases than the targets name: its rows are indicative only. */
  quick: boolean;
}

interface Target {
  issue: string;
  figure: string;
  filed: string;
  target: string;
  /** This run's value, or undefined when the stage did not run. */
  value: number | undefined;
  unit?: string;
  met: (v: number) => boolean;
}

export function targetsTable(r: TargetInputs): string {
  const lite = r.engines.find((e) => e.backend === 'sqlite');
  const post = r.engines.find((e) => e.backend === 'postgres');
  const audit = (backend: string) => r.audit.find((a) => a.backend === backend);
  const atLeast = (n: number) => (v: number) => v >= n;
  const atMost = (n: number) => (v: number) => v <= n;
  const below = (n: number) => (v: number) => v < n;
  const targets: Target[] = [
    { issue: '14', figure: 'PostgreSQL in-process, 50 callers (decisions/s)', filed: 'about 170', target: '≥ 1,500', value: post?.inProcess.rate.median, met: atLeast(1500) },
    { issue: '14', figure: '  PostgreSQL floor, raw SQL, same callers (decisions/s)', filed: '', target: '', value: r.floor?.postgres?.median, met: () => true },
    { issue: '14', figure: 'PostgreSQL 50 callers ÷ 10 callers', filed: '', target: '≥ 1.00×', value: post && post.inProcess.rate.median / post.fewCallers.rate.median, unit: '×', met: atLeast(1) },
    { issue: '14', figure: 'PostgreSQL: an entry waits to be sequenced, p99 (ms)', filed: '', target: '< 1,000', value: post?.sequencerWait?.p99, met: below(1000) },
    { issue: '14', figure: 'verify, SQLite (entries/s)', filed: 'about 42,000', target: '≥ 500,000', value: audit('sqlite')?.verify.rate, met: atLeast(500_000) },
    { issue: '14', figure: '  floor: runs read and walked in two threads (entries/s)', filed: '', target: '', value: audit('sqlite')?.verifyFloorTwoThreads?.rate, met: () => true },
    { issue: '14', figure: 'verify, PostgreSQL (entries/s)', filed: 'about 42,000', target: '≥ 500,000', value: audit('postgres')?.verify.rate, met: atLeast(500_000) },
    ...(['sqlite', 'postgres'] as const).flatMap((backend): Target[] => {
      const a = audit(backend);
      const at = a ? ` at ${num(a.entries)}` : '';
      return [
        { issue: '14', figure: `inclusion proof${at}, ${backend}, p99 (ms)`, filed: '', target: '< 5', value: a?.inclusion.p99, met: below(5) },
        { issue: '14', figure: `consistency proof${at}, ${backend}, p99 (ms)`, filed: '', target: '< 5', value: a?.consistency.p99, met: below(5) },
        { issue: '14', figure: `witness check${at}, ${backend}, p99 (ms)`, filed: '', target: '< 100', value: a?.witness.p99, met: below(100) },
      ];
    }),
    { issue: '15', figure: 'WAL per decision, SQLite, 50 callers (pages)', filed: '14.9', target: '≤ 3', value: lite?.inProcessCost.walPages?.median, met: atMost(3) },
    { issue: '15', figure: 'WAL per decision, SQLite, 50 callers (bytes)', filed: '61 KB', target: '≤ 12 KB', value: lite?.inProcessCost.walBytes?.median, met: atMost(12 * 1024) },
    { issue: '15', figure: 'SQL statements per decision over HTTP, SQLite', filed: '24', target: '≤ 8', value: lite?.httpCost.statements.median, met: atMost(8) },
    { issue: '15', figure: 'API CPU per decision over HTTP, SQLite (µs)', filed: '1,270–1,480', target: '≤ 450', value: lite?.httpCost.cpuMicros.median, met: atMost(450) },
    { issue: '15', figure: 'SQLite in-process, 50 callers (decisions/s)', filed: '1,000–1,700', target: '≥ 5,000', value: lite?.inProcess.rate.median, met: atLeast(5000) },
    { issue: '15', figure: '  SQLite floor, raw SQL, 50 decisions per transaction (decisions/s)', filed: '', target: '', value: r.floor?.sqliteBatched.median, met: () => true },
    { issue: '15', figure: 'SQLite over HTTP, 50 connections (decisions/s)', filed: '526–886', target: '≥ 3,000', value: lite?.http.rate.median, met: atLeast(3000) },
    { issue: '15', figure: '  latency p99 (ms)', filed: '', target: '< 50', value: lite?.http.p99.median, met: below(50) },
    { issue: '15', figure: `inbox at ${r.inbox ? num(r.inbox.documents) : '100,000'} documents, 10 connections, p99 (ms)`, filed: '20', target: '< 10', value: r.inbox?.p99.median, met: below(10) },
  ];
  const rows = targets
    .filter((t) => t.value !== undefined && Number.isFinite(t.value))
    .map((t) => [t.issue, t.figure, t.filed, t.target, `${num(t.value!)}${t.unit ?? ''}`, t.target ? (t.met(t.value!) ? 'met' : 'not met') : '']);
  if (!rows.length) return '';
  return [
    grid(['issue', 'figure', 'when filed', 'target', 'this run', ''], rows),
    'Targets of the open performance issues; the indented rows are the lean floors of the same run (what the engine cannot beat on this machine at this hour).',
    ...(r.quick ? ['A quick run: smaller logs and databases than the targets name (1,000,000 entries, 20,000 and 100,000 documents), so its rows are indicative only.'] : []),
  ].join('\n');
}
