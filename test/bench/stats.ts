export interface Figure {
  name: string;
  unit: string;
  samples: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

export function summarize(name: string, unit: string, values: number[]): Figure {
  const sorted = [...values].sort((a, b) => a - b);
  return { name, unit, samples: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), min: sorted[0], max: sorted[sorted.length - 1] };
}

export function table(figures: Figure[]): string {
  const rows = figures.map((f) => [f.name, String(f.samples), `${f.p50.toFixed(0)} ${f.unit}`, `${f.p99.toFixed(0)} ${f.unit}`, `${f.min.toFixed(0)}–${f.max.toFixed(0)} ${f.unit}`]);
  const head = ['figure', 'samples', 'p50', 'p99', 'min–max'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A throughput: `count` items in `seconds` of wall time. */
export interface Rate {
  name: string;
  unit: string;
  count: number;
  seconds: number;
  rate: number;
}

export const rateOf = (name: string, count: number, seconds: number, unit = 'entries/s'): Rate => ({ name, unit, count, seconds, rate: count / seconds });

/** A plain table like `table()`, for any cells (side-by-side comparisons). */
export function grid(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${head.map((_, i) => (cells[i] ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Several runs of one measurement: the median and the spread. */
export interface Runs {
  name: string;
  unit: string;
  values: number[];
  median: number;
  min: number;
  max: number;
}

export function runsOf(name: string, unit: string, values: number[]): Runs {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { name, unit, values, median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** A number for a table: thousands separated at and above 100, one or two decimals below. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** `median (min–max)` of several runs. */
export const spread = (r: Runs | undefined): string => (r ? `${num(r.median)} (${num(r.min)}–${num(r.max)})` : '');

/** a ÷ b of two medians, as `1.23×`. */
export const ratioOf = (a: Runs | number | undefined, b: Runs | number | undefined): string => {
  const x = typeof a === 'number' ? a : a?.median;
  const y = typeof b === 'number' ? b : b?.median;
  return x !== undefined && y !== undefined && y > 0 ? `${(x / y).toFixed(2)}×` : '';
};
