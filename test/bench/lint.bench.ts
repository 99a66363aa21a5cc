import { performance } from 'node:perf_hooks';
import { plainToInstance } from 'class-transformer';
import { ChainDefinition, compileChain, fieldVariants, lintChainDefinition } from '@shenpi/chains';
import { ChainLinter, DEFAULT_LINT_BUDGET } from '../../libs/engine/chain-lint/chain-linter.js';
import { conditionalChain, countersignChain, worstCaseChain } from '../support/chain-shapes.js';
import { walkEveryOrder } from '../support/exhaustive-walk.js';
import { grid, num } from './stats.js';

export interface LintRow {
  shape: string;
  bytes: number;
  /** Median of the runs, ms. */
  ms: number;
  /** The walk of every order of votes the lint did before (only where it finishes in seconds). */
  everyOrderMs?: number;
}

export interface LintResult {
  rows: LintRow[];
  worstCase: { ms: number; bytes: number; outcome: string };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeMs(fn: () => unknown, runs: number): number {
  return median(Array.from({ length: runs }, () => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  }));
}

/** Lint time against seats and steps, in this process; the worst case the hard limits allow on the lint thread. */
export async function lintBench({ runs, everyOrderSeats }: { runs: number; everyOrderSeats: number[] }): Promise<LintResult> {
  const rows: LintRow[] = [];
  const add = (shape: string, definition: unknown, everyOrder: boolean) => {
    const ms = timeMs(() => lintChainDefinition(definition), runs);
    let everyOrderMs: number | undefined;
    if (everyOrder) {
      const typed = plainToInstance(ChainDefinition, definition);
      everyOrderMs = timeMs(() => walkEveryOrder(compileChain(typed), fieldVariants(typed).variants), 1);
    }
    rows.push({ shape, bytes: Buffer.byteLength(JSON.stringify(definition)), ms, everyOrderMs });
  };
  for (const seats of [4, 8, 10, 14, 25, 50, 100]) add(`会签 of ${seats} seats`, countersignChain(seats), everyOrderSeats.includes(seats));
  add('vote of 51 in 100 seats', countersignChain(100, 51), false);
  for (const steps of [25, 50, 100, 200]) add(`${steps} steps, no conditions`, conditionalChain(steps, 0), false);
  for (const steps of [25, 50, 100, 200]) add(`${steps} steps, 6 conditional fields`, conditionalChain(steps, 6), false);

  const linter = new ChainLinter(DEFAULT_LINT_BUDGET);
  await linter.lint(countersignChain(2)); // the thread's start-up is not the definition's cost
  const worst = worstCaseChain();
  const t0 = performance.now();
  const outcome = await linter.lint(worst).then(
    (r) => (r.valid ? 'valid' : 'invalid'),
    (err: Error) => err.message,
  );
  const ms = performance.now() - t0;
  await linter.close();
  return { rows, worstCase: { ms, bytes: Buffer.byteLength(JSON.stringify(worst)), outcome } };
}

export function lintTable(r: LintResult): string {
  const body = r.rows.map((row) => [
    row.shape,
    `${num(row.bytes / 1024)} KB`,
    num(row.ms),
    row.everyOrderMs === undefined ? '' : `${num(row.everyOrderMs)} (${num(row.everyOrderMs / row.ms)}× the lint)`,
  ]);
  body.push([`worst case within the limits, on the lint thread (${r.worstCase.outcome})`, `${num(r.worstCase.bytes / 1024)} KB`, num(r.worstCase.ms), '']);
  return grid(['chain lint: shape', 'definition', 'lint ms (median)', 'walk of every vote order, ms'], body);
}
