import type { Sql } from '../sql.js';

export interface CalendarYearRow {
  year: number;
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
}

type Raw = { year: number | string; holidays: string; workdays: string; sha256: string; uploaded_by: string; uploaded_at: string };

const toRow = (r: Raw): CalendarYearRow => ({
  year: Number(r.year),
  holidays: JSON.parse(r.holidays),
  workdays: JSON.parse(r.workdays),
  sha256: r.sha256,
  uploadedBy: r.uploaded_by,
  uploadedAt: r.uploaded_at,
});

/** Uploaded calendar years: one row a year, replaced by a later upload (the audit log keeps each one). */
export class CalendarYearsRepository {
  constructor(private readonly sql: Sql) {}

  async get(year: number): Promise<CalendarYearRow | undefined> {
    const r = await this.sql.one<Raw>('SELECT * FROM calendar_years WHERE year = ?', [year]);
    return r && toRow(r);
  }

  async all(): Promise<CalendarYearRow[]> {
    return (await this.sql.all<Raw>('SELECT * FROM calendar_years ORDER BY year')).map(toRow);
  }

  /** Which year holds which arrangement: what a process compares with what it adopted. */
  async hashes(): Promise<{ year: number; sha256: string }[]> {
    return (await this.sql.all<{ year: number | string; sha256: string }>('SELECT year, sha256 FROM calendar_years ORDER BY year')).map((r) => ({ year: Number(r.year), sha256: r.sha256 }));
  }

  async put(row: CalendarYearRow): Promise<void> {
    await this.sql.run(
      `INSERT INTO calendar_years (year, holidays, workdays, sha256, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (year) DO UPDATE SET holidays = excluded.holidays, workdays = excluded.workdays, sha256 = excluded.sha256,
         uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at`,
      [row.year, JSON.stringify(row.holidays), JSON.stringify(row.workdays), row.sha256, row.uploadedBy, row.uploadedAt],
    );
  }
}
