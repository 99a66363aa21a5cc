import { isGlobalAdmin, type Principal, type Role } from '@shenpi/domain';
import { Repositories, type Database, type DepartmentRow } from '@shenpi/persistence';

/** Departments and users, for naming and for choosing a delegate or a substitute. On the read connection. */
export class DirectoryReadModel {
  private readonly repos: Repositories;

  constructor(database: Database) {
    this.repos = new Repositories(database.reader);
  }

  /** Every department's name and office: not confidential inside the organisation, and every screen names them. */
  async departments(): Promise<{ items: DepartmentRow[] }> {
    return { items: await this.repos.directory.departments() };
  }

  /** For choosing a delegate: users of the caller's departments (all, for a global admin). */
  async users(p: Principal, filter: { role?: Role; departmentId?: string }) {
    const departmentIds = isGlobalAdmin(p) ? ('all' as const) : [...new Set(p.grants.map((g) => g.departmentId).filter((d): d is string => !!d))];
    const users = await this.repos.directory.users({ ...filter, departmentIds });
    return { items: users.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, roles: u.grants })) };
  }
}
