import type { Sql } from '../sql.js';

/**
 * Document numbers (公文处理工作条例 Art. 9): one sequence per issuing department and year. The
 * increment runs in the issuing transition's transaction: the row stays locked until commit, and
 * a rollback gives the number back, so numbers have no gaps and no duplicates.
 */
export class NumberingRepository {
  constructor(private readonly sql: Sql) {}

  async next(departmentId: string, year: number): Promise<number> {
    const row = await this.sql.one<{ last: number | string }>(
      `INSERT INTO document_numbers (department_id, year, last) VALUES (?, ?, 1)
       ON CONFLICT (department_id, year) DO UPDATE SET last = document_numbers.last + 1 RETURNING last`,
      [departmentId, year],
    );
    return Number(row!.last);
  }
}
