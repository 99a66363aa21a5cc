import { randomBytes } from 'node:crypto';
import type { AuditLog } from '@shenpi/audit';
import { isRole, newId, systemActor, USERNAME, validationFailed, type Actor, type Clock, type Role } from '@shenpi/domain';
import type { DepartmentRow, Repositories } from '@shenpi/persistence';
import { createdDepartment } from './organisation.use-case.js';
import { hashPassword, passwordProblem, verifyPassword } from './password.js';
import type { WriterQueue } from './writer-queue.js';

export interface AddUserCommand {
  username: string;
  password?: string;
  displayName?: string;
  departmentId: string | null;
  roles: string[];
}

const DEMO_DEPARTMENTS: DepartmentRow[] = [
  { id: 'rule-of-law-office', name: '市委依法治市办 / Municipal rule-of-law office', officeId: null },
  { id: 'city-sti', name: '市科技局 / City science & technology bureau', officeId: 'rule-of-law-office', issuerCode: '市科技局发' },
];

const DEMO_USERS: { username: string; displayName: string; grants: [Role, string | null][] }[] = [
  { username: 'drafter', displayName: '起草人 / Drafter', grants: [['drafter', 'city-sti']] },
  { username: 'counsel', displayName: '法律顾问 / Legal counsel', grants: [['legal-counsel', 'city-sti']] },
  { username: 'secretary', displayName: '党组书记 / Party group secretary', grants: [['party-secretary', 'city-sti']] },
  { username: 'leader', displayName: '分管领导 / Leader in charge', grants: [['leader', 'city-sti']] },
  { username: 'admin', displayName: '系统管理员 / Administrator', grants: [['admin', null]] },
  { username: 'supervisor', displayName: '督察员 / Supervisor', grants: [['supervisor', 'city-sti'], ['supervisor', 'rule-of-law-office']] },
  { username: 'office', displayName: '依法治市办 / Rule-of-law office', grants: [['rule-of-law-office', 'rule-of-law-office']] },
];

/**
 * Users as the command line's `user add` and `seed-demo` make them (idempotent, each change audited as
 * configuration). Every other change of the organisation is the organisation use case's.
 */
export class DirectoryUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates the user if missing (password required then) and grants the roles; idempotent. A
   * password given is one a person chose: held to the policy (password-policy.ts), and for an
   * existing user it replaces theirs and ends their sessions, as a new role does.
   */
  async addUser(cmd: AddUserCommand, actor: Actor = systemActor('cli')): Promise<{ id: string; created: boolean }> {
    const bad = cmd.roles.filter((r) => !isRole(r));
    if (bad.length) throw validationFailed([{ field: 'role', reason: `unknown role(s): ${bad.join(', ')}` }]);
    if (!USERNAME.test(cmd.username)) throw validationFailed([{ field: 'username', reason: 'letters, digits, _ . - only (2–64)' }]);
    const problem = cmd.password === undefined ? null : passwordProblem(cmd.password, cmd.username);
    if (problem) throw validationFailed([{ field: 'password', reason: problem }]);
    const same = cmd.password !== undefined && (await this.holding([cmd.username], cmd.password)).size > 0;
    const passwordHash = cmd.password && !same ? await hashPassword(cmd.password) : undefined;
    return this.writer.run(async (repos) => {
      if (cmd.departmentId && !(await repos.directory.department(cmd.departmentId))) {
        throw validationFailed([{ field: 'department', reason: `no department "${cmd.departmentId}"` }]);
      }
      return this.ensureUser(repos, cmd.username, cmd.displayName ?? cmd.username, passwordHash, cmd.roles.map((r) => [r as Role, cmd.departmentId]), actor);
    });
  }

  /**
   * The users among `usernames` whose password already is `password`: setting it again changes
   * nothing and ends no session (a re-run seed, a restarted test app). Read in a job of its own and
   * checked outside any transaction, so the writer never waits for scrypt.
   */
  private async holding(usernames: string[], password: string): Promise<Set<string>> {
    const hashes = await this.writer.run(async (repos) => {
      const found: (readonly [string, string | undefined])[] = [];
      // One statement at a time: a transaction's connection runs them in turn anyway.
      for (const u of usernames) found.push([u, (await repos.directory.userByUsername(u))?.passwordHash] as const);
      return found;
    });
    const same = await Promise.all(hashes.map(async ([u, hash]) => (hash && (await verifyPassword(password, hash)) ? u : null)));
    return new Set(same.filter((u): u is string => u !== null));
  }

  /** Creates a department (and names the rule-of-law office it reports to) if it does not exist. */
  async addDepartment(d: DepartmentRow, actor: Actor = systemActor('cli')): Promise<void> {
    await this.writer.run(async (repos) => {
      if (d.officeId && !(await repos.directory.department(d.officeId))) {
        throw validationFailed([{ field: 'officeId', reason: `no department "${d.officeId}"` }]);
      }
      if (!(await repos.directory.ensureDepartment(d, this.clock.now().toISOString()))) return;
      await this.audit.append(repos, { category: 'configuration', action: 'create-department', actor, departmentId: d.id, details: createdDepartment(d) });
    });
  }

  /**
   * The demo organisation of API.md. Returns the password (generated when none is given). Not held
   * to the password policy: the README's demo password (`demo-pass`) is for trying the service out.
   */
  async seedDemo(password?: string): Promise<{ password: string; generated: boolean; created: string[] }> {
    const generated = !password;
    const secret = password ?? randomBytes(9).toString('base64url');
    const passwordHash = await hashPassword(secret);
    const same = generated ? new Set<string>() : await this.holding(DEMO_USERS.map((u) => u.username), secret);
    const actor = systemActor('seed-demo');
    const created = await this.writer.run(async (repos) => {
      const at = this.clock.now().toISOString();
      for (const d of DEMO_DEPARTMENTS) {
        if (await repos.directory.ensureDepartment(d, at)) {
          await this.audit.append(repos, { category: 'configuration', action: 'create-department', actor, departmentId: d.id, details: createdDepartment(d) });
        }
      }
      const names: string[] = [];
      for (const u of DEMO_USERS) {
        // An existing user keeps its password unless the operator named another one.
        const result = await this.ensureUser(repos, u.username, u.displayName, generated || same.has(u.username) ? undefined : passwordHash, u.grants, actor, passwordHash);
        if (result.created) names.push(u.username);
      }
      return names;
    });
    return { password: secret, generated, created };
  }

  private async ensureUser(
    repos: Repositories,
    username: string,
    displayName: string,
    resetHash: string | undefined,
    grants: [Role, string | null][],
    actor: Actor,
    newUserHash: string | undefined = resetHash,
  ): Promise<{ id: string; created: boolean }> {
    const at = this.clock.now().toISOString();
    const existing = await repos.directory.userByUsername(username);
    let id = existing?.id;
    if (!existing) {
      if (!newUserHash) throw validationFailed([{ field: 'password', reason: 'required for a new user' }]);
      id = newId();
      await repos.directory.insertUser({ id, username, displayName, passwordHash: newUserHash }, at);
      await this.audit.append(repos, { category: 'configuration', action: 'create-user', actor, details: { userId: id, username } });
    } else if (resetHash) {
      await repos.directory.setPasswordHash(existing.id, resetHash);
      await this.audit.append(repos, { category: 'configuration', action: 'reset-password', actor, details: { userId: existing.id, username } });
    }
    for (const [role, departmentId] of grants) {
      const before = await repos.directory.grantsOf(id!);
      if (await repos.directory.grant(id!, { role, departmentId }, at)) {
        // Before and after: the user's roles as they were and as they are now.
        const after = await repos.directory.grantsOf(id!);
        await this.audit.append(repos, { category: 'configuration', action: 'grant-role', actor, departmentId, details: { userId: id, username, role, departmentId, before, after } });
      }
    }
    return { id: id!, created: !existing };
  }
}
