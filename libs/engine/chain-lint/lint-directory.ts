import type { DepartmentStaff, LintDirectory } from '@shenpi/chains';
import type { Role } from '@shenpi/domain';

/**
 * Who exists, as plain data: what the lint's directory answers from, read on the main thread and
 * posted to the lint worker (functions cannot cross a thread).
 */
export interface LintDirectoryData {
  held: { role: Role; inOffice: boolean }[];
  users: string[];
  staff: (DepartmentStaff & { inOffice: boolean })[];
}

export function lintDirectoryOf(data: LintDirectoryData): LintDirectory {
  const users = new Set(data.users);
  return {
    roleHeld: (role, where) => data.held.some((h) => h.role === role && h.inOffice === (where === 'office')),
    userExists: (id) => users.has(id),
    staff: (where) => data.staff.filter((d) => d.inOffice === (where === 'office')),
  };
}
