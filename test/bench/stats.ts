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
