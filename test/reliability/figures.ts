import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FULL } from './size.js';

/** Where recordFigure() appends: RELIABILITY_SUMMARY_FILE, else one file in the temporary folder. */
export function summaryFile(): string {
  return process.env.RELIABILITY_SUMMARY_FILE || join(tmpdir(), 'shenpi-reliability-summary.jsonl');
}

/** One line of the summary file (test/reliability/summary.ts prints them as a table). */
export interface FigureLine {
  check: string;
  database: 'sqlite' | 'postgres';
  size: 'quick' | 'full';
  figure: string;
  at: string;
}

/**
 * Records a check's figure for the summary table: one JSON line appended to summaryFile(), with
 * the database (TEST_DATABASE_URL set: postgres) and the size (RELIABILITY_SIZE=full: full).
 */
export function recordFigure(check: string, figure: string): void {
  const line: FigureLine = {
    check,
    database: process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite',
    size: FULL ? 'full' : 'quick',
    figure: figure.replace(/\s+/g, ' ').trim(),
    at: new Date().toISOString(),
  };
  appendFileSync(summaryFile(), `${JSON.stringify(line)}\n`);
}
