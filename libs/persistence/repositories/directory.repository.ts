import type { Principal, Role, RoleGrant } from '@shenpi/domain';
import type { Sql } from '../sql.js';
import { ACTIVE_WINDOW } from './proxies.repository.js';

export interface DepartmentRow {
  id: string;
  name: string;
  officeId: string | null;
  /** The issuing organ's code in document numbers (e.g. 沙科局发); the name when absent. */
  issuerCode?: string | null;
}

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
}

interface RawUser {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
}

const toUser = (r: RawUser): UserRow => ({ id: r.id, username: r.username, displayName: r.display_name, passwordHash: r.password_hash });

/** A user as login sees it: who they are, their password hash, and whether tokens may be issued. */
export interface Account {
  principal: Principal;
  passwordHash: string;
  /** Every token carries it; bumped when the password, the roles or the enabled state change, and on logout. */
  tokenEpoch: number;
  disabled: boolean;
}

type PrincipalRow = { id: string; username: string; display_name: string; role: Role | null; department_id: string | null };

const PRINCIPAL_COLUMNS = 'u.id, u.username, u.display_name, g.role, g.department_id';

function toPrincipal(rows: PrincipalRow[]): Principal | undefined {
  if (!rows.length) return undefined;
  const grants = rows.filter((r) => r.role !== null).map((r) => ({ role: r.role!, departmentId: r.department_id }));
  return { id: rows[0].id, username: rows[0].username, displayName: rows[0].display_name, grants };
}

/** Refuses every token issued before: the auth guard's one statement matches the epoch. */
const BUMP_EPOCH = 'UPDATE users SET token_epoch = token_epoch + 1 WHERE id = ?';

/** Departments, users and the roles they hold. */
export class DirectoryRepository {
  constructor(private readonly sql: Sql) {}

  async department(id: string): Promise<DepartmentRow | undefined> {
    const r = await this.sql.one<{ id: string; name: string; office_id: string | null; issuer_code: string | null }>(
      'SELECT id, name, office_id, issuer_code FROM departments WHERE id = ?',
      [id],
    );
    return r && { id: r.id, name: r.name, officeId: r.office_id, issuerCode: r.issuer_code };
  }

  async departments(): Promise<DepartmentRow[]> {
    const rows = await this.sql.all<{ id: string; name: string; office_id: string | null; issuer_code: string | null }>(
      'SELECT id, name, office_id, issuer_code FROM departments ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, name: r.name, officeId: r.office_id, issuerCode: r.issuer_code }));
  }

  /** Creates the department unless one has its id; returns whether it did. */
  async ensureDepartment(d: DepartmentRow, at: string): Promise<boolean> {
    const created = await this.sql.run(
      'INSERT INTO departments (id, name, office_id, issuer_code, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      [d.id, d.name, d.officeId, d.issuerCode ?? null, at],
    );
    return created > 0;
  }

  /**
   * PostgreSQL: holds the user's row until commit, so two administrators changing one user take
   * turns and each reads the grants the other left (SQLite's one writer already takes turns).
   */
  async lockUser(id: string): Promise<void> {
    if (this.sql.kind === 'postgres') await this.sql.one('SELECT id FROM users WHERE id = ? FOR UPDATE', [id]);
  }

  /**
   * Holds the department's row to the end of the transaction (PostgreSQL; SQLite's one writer is
   * alone anyway): changes that count who can act there take turns, so two of them cannot each see
   * the other's person still there.
   */
  async lockDepartment(id: string): Promise<void> {
    if (this.sql.kind === 'postgres') await this.sql.one('SELECT id FROM departments WHERE id = ? FOR UPDATE', [id]);
  }

  async updateDepartment(d: DepartmentRow): Promise<void> {
    await this.sql.run('UPDATE departments SET name = ?, office_id = ?, issuer_code = ? WHERE id = ?', [d.name, d.officeId, d.issuerCode ?? null, d.id]);
  }

  /** The departments a supervisor of `ids` oversees: those, and every department reporting to them. */
  async supervisedScope(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const list = ids.map(() => '?').join(', ');
    const rows = await this.sql.all<{ id: string }>(`SELECT id FROM departments WHERE id IN (${list}) OR office_id IN (${list}) ORDER BY id`, [
      ...ids,
      ...ids,
    ]);
    return rows.map((r) => r.id);
  }

  /** Who holds a role in a department: the recipients of a role's notifications. */
  async holders(role: Role, departmentId: string): Promise<string[]> {
    const rows = await this.sql.all<{ user_id: string }>('SELECT user_id FROM role_grants WHERE role = ? AND department_id = ? ORDER BY user_id', [
      role,
      departmentId,
    ]);
    return rows.map((r) => r.user_id);
  }

  /**
   * A role's holders in a department who may still work (a disabled user holds nothing here), whether
   * each supervises (a supervisor never decides), and, when `awayAt` is given, whom each has left their
   * work to at that instant (代理: the substitute of their latest active window, else null): one
   * statement for staffing a seat.
   */
  async holdersForDecision(role: Role, departmentId: string, awayAt?: string): Promise<{ id: string; supervisor: boolean; substituteId?: string | null }[]> {
    const away = awayAt ? `, (SELECT p.substitute_id FROM proxies p WHERE p.user_id = g.user_id AND ${ACTIVE_WINDOW} ORDER BY p.id DESC LIMIT 1) AS substitute_id` : '';
    const rows = await this.sql.all<{ user_id: string; supervisor: number | boolean; substitute_id?: string | null }>(
      `SELECT g.user_id, CASE WHEN EXISTS (SELECT 1 FROM role_grants s WHERE s.user_id = g.user_id AND s.role = 'supervisor') THEN 1 ELSE 0 END AS supervisor${away}
       FROM role_grants g JOIN users u ON u.id = g.user_id AND u.disabled_at IS NULL WHERE g.role = ? AND g.department_id = ? ORDER BY g.user_id`,
      awayAt ? [awayAt, awayAt, role, departmentId] : [role, departmentId],
    );
    return rows.map((r) => ({ id: r.user_id, supervisor: Number(r.supervisor) === 1, ...(awayAt ? { substituteId: r.substitute_id ?? null } : {}) }));
  }

  /**
   * The first instant after `at` at which whom a holder of `role` in the department is away to may
   * change by time alone (a substitution starting or ending), or null: until then, and while the
   * directory's version stands, holdersForDecision at `at` says what it would say later.
   */
  async holdersAwayChangeAfter(role: Role, departmentId: string, at: string): Promise<string | null> {
    const r = await this.sql.one<{ next: string | null }>(
      `SELECT MIN(CASE WHEN p.starts_at > ? THEN p.starts_at ELSE p.ends_at END) AS next
       FROM proxies p JOIN role_grants g ON g.user_id = p.user_id WHERE g.role = ? AND g.department_id = ? AND p.cancelled_at IS NULL AND p.ends_at > ?`,
      [at, role, departmentId, at],
    );
    return r?.next ?? null;
  }

  /** Every role held somewhere, and whether in a rule-of-law office (a department others report to). */
  async heldRoles(): Promise<{ role: Role; inOffice: boolean }[]> {
    const rows = await this.sql.all<{ role: Role; in_office: number | boolean }>(
      `SELECT DISTINCT g.role, CASE WHEN EXISTS (SELECT 1 FROM departments x WHERE x.office_id = g.department_id) THEN 1 ELSE 0 END AS in_office
       FROM role_grants g WHERE g.department_id IS NOT NULL`,
      [],
    );
    return rows.map((r) => ({ role: r.role, inOffice: Number(r.in_office) === 1 }));
  }

  /** Every role grant, global ones (no department) included: the lint's count of who may decide where. */
  async allGrants(): Promise<(RoleGrant & { userId: string })[]> {
    const rows = await this.sql.all<{ user_id: string; role: Role; department_id: string | null }>(
      'SELECT user_id, role, department_id FROM role_grants ORDER BY department_id, role, user_id',
    );
    return rows.map((r) => ({ userId: r.user_id, role: r.role, departmentId: r.department_id }));
  }

  async existingUserIds(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.sql.all<{ id: string }>(`SELECT id FROM users WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    return new Set(rows.map((r) => r.id));
  }

  /** Display names of users and names of departments, by id: what a history names its actors by. */
  async names(userIds: string[], departmentIds: string[]): Promise<{ people: Record<string, string>; departments: Record<string, string> }> {
    const list = (ids: string[]) => ids.map(() => '?').join(', ');
    const people = userIds.length ? await this.sql.all<{ id: string; display_name: string }>(`SELECT id, display_name FROM users WHERE id IN (${list(userIds)})`, userIds) : [];
    const departments = departmentIds.length ? await this.sql.all<{ id: string; name: string }>(`SELECT id, name FROM departments WHERE id IN (${list(departmentIds)})`, departmentIds) : [];
    return { people: Object.fromEntries(people.map((r) => [r.id, r.display_name])), departments: Object.fromEntries(departments.map((r) => [r.id, r.name])) };
  }

  /** A user's notification settings as stored (JSON), or null: the defaults. */
  async notificationSettings(userId: string): Promise<string | null> {
    return (await this.sql.one<{ s: string | null }>('SELECT notification_settings AS s FROM users WHERE id = ?', [userId]))?.s ?? null;
  }

  async setNotificationSettings(userId: string, settings: string): Promise<void> {
    await this.sql.run('UPDATE users SET notification_settings = ? WHERE id = ?', [settings, userId]);
  }

  async userByUsername(username: string): Promise<UserRow | undefined> {
    const r = await this.sql.one<RawUser>('SELECT id, username, display_name, password_hash FROM users WHERE username = ?', [username]);
    return r && toUser(r);
  }

  async userById(id: string): Promise<UserRow | undefined> {
    const r = await this.sql.one<RawUser>('SELECT id, username, display_name, password_hash FROM users WHERE id = ?', [id]);
    return r && toUser(r);
  }

  async insertUser(u: UserRow, at: string): Promise<void> {
    await this.sql.run('INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)', [
      u.id,
      u.username,
      u.displayName,
      u.passwordHash,
      at,
    ]);
  }

  /**
   * Creates a user unless the username is taken (returns whether it did). A password someone else
   * set or generated must be changed by the user before they do anything else.
   */
  async createUser(u: UserRow, at: string, passwordChangeRequired: boolean): Promise<boolean> {
    const created = await this.sql.run(
      `INSERT INTO users (id, username, display_name, password_hash, created_at, password_change_required) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (username) DO NOTHING`,
      [u.id, u.username, u.displayName, u.passwordHash, at, passwordChangeRequired ? 1 : 0],
    );
    return created > 0;
  }

  async setDisplayName(userId: string, displayName: string): Promise<void> {
    await this.sql.run('UPDATE users SET display_name = ? WHERE id = ?', [displayName, userId]);
  }

  /** Whether the user is disabled, and whether their password is one they must replace. */
  async accountState(userId: string): Promise<{ disabled: boolean; passwordChangeRequired: boolean } | undefined> {
    const r = await this.sql.one<{ disabled_at: string | null; password_change_required: number | string }>(
      'SELECT disabled_at, password_change_required FROM users WHERE id = ?',
      [userId],
    );
    return r && { disabled: r.disabled_at !== null, passwordChangeRequired: Number(r.password_change_required) === 1 };
  }

  /** A password the user chose themselves: no change is required any more, and every earlier session ends. */
  async setOwnPassword(userId: string, passwordHash: string): Promise<void> {
    await this.sql.run('UPDATE users SET password_hash = ?, password_change_required = 0, token_epoch = token_epoch + 1 WHERE id = ?', [passwordHash, userId]);
  }

  /** A new password ends every session: the user's earlier tokens are refused. */
  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.sql.run('UPDATE users SET password_hash = ?, token_epoch = token_epoch + 1 WHERE id = ?', [passwordHash, userId]);
  }

  /** Idempotent: granting a role the user already holds changes nothing. Returns whether it was new (then the user's tokens end). */
  async grant(userId: string, g: RoleGrant, at: string): Promise<boolean> {
    const changed = await this.sql.run(
      'INSERT INTO role_grants (user_id, role, department_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [userId, g.role, g.departmentId, at],
    );
    if (changed > 0) await this.sql.run(BUMP_EPOCH, [userId]);
    return changed > 0;
  }

  /** Takes a role away; returns whether the user held it (then the user's tokens end). */
  async revoke(userId: string, g: RoleGrant): Promise<boolean> {
    const changed = await this.sql.run(
      "DELETE FROM role_grants WHERE user_id = ? AND role = ? AND COALESCE(department_id, '') = COALESCE(?, '')",
      [userId, g.role, g.departmentId],
    );
    if (changed > 0) await this.sql.run(BUMP_EPOCH, [userId]);
    return changed > 0;
  }

  /** Disables (at a time) or enables (null) a user; returns whether it changed. Either way the user's tokens end. */
  async setDisabled(userId: string, disabledAt: string | null): Promise<boolean> {
    const changed = await this.sql.run(
      `UPDATE users SET disabled_at = ?, token_epoch = token_epoch + 1 WHERE id = ? AND ${disabledAt ? 'disabled_at IS NULL' : 'disabled_at IS NOT NULL'}`,
      [disabledAt, userId],
    );
    return changed > 0;
  }

  /** Ends every session of the user (logout). */
  async endSessions(userId: string): Promise<void> {
    await this.sql.run(BUMP_EPOCH, [userId]);
  }

  async grantsOf(userId: string): Promise<RoleGrant[]> {
    const rows = await this.sql.all<{ role: Role; department_id: string | null }>(
      'SELECT role, department_id FROM role_grants WHERE user_id = ? ORDER BY department_id, role',
      [userId],
    );
    return rows.map((r) => ({ role: r.role, departmentId: r.department_id }));
  }

  /** The user and their grants in one statement (whether or not they may log in). */
  async principal(userId: string): Promise<Principal | undefined> {
    const rows = await this.sql.all<PrincipalRow>(
      `SELECT ${PRINCIPAL_COLUMNS} FROM users u LEFT JOIN role_grants g ON g.user_id = u.id WHERE u.id = ? ORDER BY g.department_id, g.role`,
      [userId],
    );
    return toPrincipal(rows);
  }

  /** The directory's version: it moves with every change to a user or a role grant (triggers; migration 1766400000000). */
  async version(): Promise<number> {
    return Number((await this.sql.one<{ version: number | string }>('SELECT version FROM directory_version WHERE id = 1'))!.version);
  }

  /**
   * The caller behind a token: every authenticated request reads it, so the epoch and the enabled
   * state are checked in the same one statement that loads the user and their grants.
   */
  async activePrincipal(userId: string, tokenEpoch: number): Promise<Principal | undefined> {
    const rows = await this.sql.all<PrincipalRow>(
      `SELECT ${PRINCIPAL_COLUMNS} FROM users u LEFT JOIN role_grants g ON g.user_id = u.id
       WHERE u.id = ? AND u.token_epoch = ? AND u.disabled_at IS NULL ORDER BY g.department_id, g.role`,
      [userId, tokenEpoch],
    );
    return toPrincipal(rows);
  }

  /** What login needs of a username, in one statement: the principal, the hash, the epoch, disabled or not. */
  async account(username: string): Promise<Account | undefined> {
    const rows = await this.sql.all<PrincipalRow & { password_hash: string; token_epoch: number | string; disabled_at: string | null }>(
      `SELECT ${PRINCIPAL_COLUMNS}, u.password_hash, u.token_epoch, u.disabled_at
       FROM users u LEFT JOIN role_grants g ON g.user_id = u.id WHERE u.username = ? ORDER BY g.department_id, g.role`,
      [username],
    );
    const principal = toPrincipal(rows);
    return principal && { principal, passwordHash: rows[0].password_hash, tokenEpoch: Number(rows[0].token_epoch), disabled: rows[0].disabled_at !== null };
  }

  /** Who may act in a role of a department: its holders who are enabled and supervise nowhere (a supervisor never decides). */
  async activeHolders(role: Role, departmentId: string): Promise<string[]> {
    const rows = await this.sql.all<{ user_id: string }>(
      `SELECT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id
       WHERE g.role = ? AND g.department_id = ? AND u.disabled_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM role_grants s WHERE s.user_id = g.user_id AND s.role = 'supervisor')
       ORDER BY g.user_id`,
      [role, departmentId],
    );
    return rows.map((r) => r.user_id);
  }

  /** The global administrators who can act (`admin` held with no department, enabled): whom the organisation's loose ends are told to. */
  async activeGlobalAdministrators(): Promise<string[]> {
    const rows = await this.sql.all<{ user_id: string }>(
      `SELECT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id WHERE g.role = 'admin' AND g.department_id IS NULL AND u.disabled_at IS NULL ORDER BY g.user_id`,
    );
    return rows.map((r) => r.user_id);
  }

  /**
   * One page of users by id (time-ordered), after the id `after`: those holding a role in one of
   * `departmentIds` (every user, grants or none, for 'all'), the filters applying to that same grant.
   */
  async userPage(
    filter: { departmentIds: string[] | 'all'; role?: Role; departmentId?: string; enabled?: boolean },
    after: string | null,
    limit: number,
  ): Promise<(Principal & { disabled: boolean })[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (after) where.push('u.id > ?'), params.push(after);
    if (filter.enabled !== undefined) where.push(filter.enabled ? 'u.disabled_at IS NULL' : 'u.disabled_at IS NOT NULL');
    const grant: string[] = [];
    if (filter.departmentIds !== 'all') {
      if (!filter.departmentIds.length) return [];
      grant.push(`g.department_id IN (${filter.departmentIds.map(() => '?').join(', ')})`);
      params.push(...filter.departmentIds);
    }
    if (filter.role) grant.push('g.role = ?'), params.push(filter.role);
    if (filter.departmentId) grant.push('g.department_id = ?'), params.push(filter.departmentId);
    if (grant.length) where.push(`EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND ${grant.join(' AND ')})`);
    const users = await this.sql.all<{ id: string; username: string; display_name: string; disabled_at: string | null }>(
      `SELECT u.id, u.username, u.display_name, u.disabled_at FROM users u ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY u.id LIMIT ?`,
      [...params, limit],
    );
    if (!users.length) return [];
    const grants = await this.sql.all<{ user_id: string; role: Role; department_id: string | null }>(
      `SELECT user_id, role, department_id FROM role_grants WHERE user_id IN (${users.map(() => '?').join(', ')}) ORDER BY department_id, role`,
      users.map((u) => u.id),
    );
    return users.map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      disabled: u.disabled_at !== null,
      grants: grants.filter((g) => g.user_id === u.id).map((g) => ({ role: g.role, departmentId: g.department_id })),
    }));
  }
}
