import { shanghaiDate } from '@shenpi/domain';
import type { DepartmentRow, Repositories } from '@shenpi/persistence';

/**
 * 文号: a step with `assignsNumber` gives the document the department's next number for the year
 * it is issued in, `{issuerCode}〔year〕N号`, once (a document keeps its number). The sequence row
 * is written in the change's transaction, so a change that loses gives its number back.
 */
export async function issueNumber(repos: Repositories, department: DepartmentRow, at: string): Promise<string> {
  const year = Number(shanghaiDate(new Date(at)).slice(0, 4));
  const n = await repos.numbering.next(department.id, year);
  return `${department.issuerCode ?? department.name}〔${year}〕${n}号`;
}
