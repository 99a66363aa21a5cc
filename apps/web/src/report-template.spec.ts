import { describe, expect, it } from '@jest/globals';
import { defaultReportYear } from './report-template';

describe('the year a new annual report defaults to', () => {
  it('is the past year until 1 March, when its report is due', () => {
    expect(defaultReportYear('2027-01-01')).toBe(2026);
    expect(defaultReportYear('2027-02-28')).toBe(2026);
  });

  it('is the current year from 1 March on: in December the report on the year that is ending', () => {
    expect(defaultReportYear('2027-03-01')).toBe(2027);
    expect(defaultReportYear('2026-12-06')).toBe(2026);
    expect(defaultReportYear('2026-12-31')).toBe(2026);
    // The department's reports so far: the latest year without one.
    expect(defaultReportYear('2026-12-06', [2026])).toBe(2025);
    expect(defaultReportYear('2026-12-06', [2024, 2025, 2026])).toBe(2023);
    expect(defaultReportYear('2026-12-06', [2025])).toBe(2026);
  });
});
