import { AccessDenied, ErrorCode, isGlobalAdmin, isUuid, type Principal, type Role, type RoleGrant } from '@shenpi/domain';
import { Repositories, type Database, type DepartmentRow } from '@shenpi/persistence';
import { homeDepartment } from '../organisation-authority.js';
import { decodeCursor, page, type Page } from '../views.js';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: RoleGrant[];
  disabled: boolean;
}

export interface UserFilter {
  role?: Role;
  departmentId?: string;
  enabled?: boolean;
}

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

  /**
   * Users of the caller's departments (every user, those with no role included, for a global
   * admin), by id, keyset-paged; the filters apply to one grant (`role` held in `departmentId`).
   */
  async users(p: Principal, filter: UserFilter, cursor: string | undefined, limit: number): Promise<Page<UserView>> {
    const rows = await this.repos.directory.userPage({ ...filter, departmentIds: visibleDepartments(p) }, decodeCursor(cursor, isUuid), limit + 1);
    const { rows: kept, nextCursor } = page(rows, limit, (u) => u.id);
    return { items: kept.map(userView), nextCursor };
  }

  /** One user, for whom the list would show them; 404 otherwise (a refused access, audited as one). */
  async user(p: Principal, id: string): Promise<UserView> {
    const departmentIds = visibleDepartments(p);
    const principal = isUuid(id) ? await this.repos.directory.principal(id) : undefined;
    const visible = principal && (departmentIds === 'all' || principal.grants.some((g) => g.departmentId !== null && departmentIds.includes(g.departmentId)));
    // The entry names the user's department, so its supervisors see who looked.
    if (!visible) throw new AccessDenied(ErrorCode.NOT_FOUND, 'user not found', { action: 'read-user', departmentId: principal ? homeDepartment(principal) : null });
    const state = await this.repos.directory.accountState(id);
    return userView({ ...principal, disabled: state!.disabled });
  }
}

/** Whose users the caller sees: a global admin everyone's, anyone else those of the departments they hold a role in. */
const visibleDepartments = (p: Principal): string[] | 'all' =>
  isGlobalAdmin(p) ? 'all' : [...new Set(p.grants.map((g) => g.departmentId).filter((d): d is string => !!d))];

const userView = (u: Principal & { disabled: boolean }): UserView => ({ id: u.id, username: u.username, displayName: u.displayName, roles: u.grants, disabled: u.disabled });
