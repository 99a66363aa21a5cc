import { randomBytes } from 'node:crypto';
import type { AssigneeRef } from '@shenpi/chains';
import type { AuditLog } from '@shenpi/audit';
import {
  DEPARTMENT_ID,
  DomainError,
  ErrorCode,
  hiddenCharacterIn,
  newId,
  notFound,
  systemActor,
  systemPrincipal,
  USERNAME,
  validationFailed,
  type Actor,
  type Clock,
  type Principal,
  type Role,
  type RoleGrant,
} from '@shenpi/domain';
import type { DepartmentRow, Repositories, TaskRow } from '@shenpi/persistence';
import type { ChainCatalog } from './chain-catalog.js';
import { resolveDepartment } from './document/access-rules.js';
import type { DocumentKernel } from './document/document-kernel.js';
import type { TransitionUseCase } from './document/transition.use-case.js';
import {
  actorIn,
  homeDepartment,
  isGlobal,
  requireDepartment,
  requireGlobal,
  requireGrantable,
  requireManages,
  type Administrator,
} from './organisation-authority.js';
import { hashPassword, passwordProblem } from './password.js';
import type { WriterQueue } from './writer-queue.js';

export interface NewDepartment {
  id: string;
  name: string;
  officeId?: string | null;
  issuerCode?: string | null;
}

export type DepartmentChange = Partial<Omit<NewDepartment, 'id'>>;

export interface NewUser {
  username: string;
  displayName: string;
  /** Chosen by the administrator; without it the service generates one, answered once. Either way the user replaces it at first login. */
  password?: string;
  /** The department the roles are granted in (a department administrator's own). */
  departmentId?: string | null;
  roles?: Role[];
}

/** A task the user held by name, handed to someone who may decide it, or left for an administrator with why each candidate could not take it. */
export interface HandOver {
  reassigned: { taskId: string; documentId: string; stepKey: string; toUserId: string }[];
  unassigned: { taskId: string; documentId: string; stepKey: string; reason: string; refused: { userId: string; code: string; rule?: string }[] }[];
}

/** Where a seat nobody the step names may decide goes (as staffing.ts): the step's escalation target, then the department's leader. */
const LEADER: AssigneeRef = { role: 'leader', department: 'document' };

/** The only rule of its own here: a department is never left without a leader, the target of every seat nobody else may decide. */
const LAST_LEADER = 'last-leader';

/**
 * Who hands on a user's open tasks: the system, whoever changed the user (a global or department
 * administrator, the command line's operator). Whom each goes to is the kernel's choice among
 * candidates, never the administrator's, so a department administrator hands on without reassigning by hand.
 */
const HAND_ON = systemActor('organisation');
const HAND_ON_PRINCIPAL = systemPrincipal(HAND_ON);

/** Why a user's tasks are handed on (the configuration entry's action), and who did it: named in each hand-on's entry. */
interface HandOnCause {
  cause: 'disable-user' | 'revoke-role' | 'grant-role' | 'set-supervision';
  by: Actor;
}

/**
 * Departments, users, role grants and supervision, changed by administrators (API and command line):
 * each change one transaction with one configuration audit entry naming what it was before and after.
 * A user who can no longer decide their open tasks (disabled, the role taken away, made a supervisor)
 * has them handed on by the system through the document kernel's reassignment, whose
 * separation-of-duties checks decide who may take each one.
 */
export class OrganisationUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly reader: Repositories,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly chains: ChainCatalog,
    private readonly transition: TransitionUseCase,
    private readonly kernel: DocumentKernel,
  ) {}

  createDepartment(a: Administrator, d: NewDepartment): Promise<DepartmentRow> {
    requireGlobal(a, 'create-department', 'creates departments');
    if (!DEPARTMENT_ID.test(d.id)) throw validationFailed([{ field: 'id', reason: 'id must be a department code such as "city-sti" (2 to 64 characters)' }]);
    if (!d.name.trim()) throw validationFailed([{ field: 'name', reason: 'name must not be blank' }]);
    checkShownNames({ name: d.name, issuerCode: d.issuerCode });
    const row: DepartmentRow = { id: d.id, name: d.name, officeId: d.officeId ?? null, issuerCode: d.issuerCode ?? null };
    return this.writer.run(async (repos) => {
      await this.checkOffice(repos, row);
      if (!(await repos.directory.ensureDepartment(row, this.clock.now().toISOString()))) {
        throw new DomainError(ErrorCode.CONFLICT, `department "${d.id}" exists`, { field: 'id' });
      }
      await this.audit.append(repos, { category: 'configuration', action: 'create-department', actor: a.actor, departmentId: row.id, details: createdDepartment(row) });
      return row;
    });
  }

  /**
   * A department administrator renames their department. Whom it reports to (and so who supervises
   * it) and the issuer code its documents are numbered under (another organ's code would issue in its
   * name) are a global administrator's.
   */
  updateDepartment(a: Administrator, id: string, change: DepartmentChange): Promise<DepartmentRow> {
    checkShownNames({ name: change.name, issuerCode: change.issuerCode });
    return this.writer.run(async (repos) => {
      const before = await repos.directory.department(id);
      if (!before) throw notFound('department');
      requireDepartment(a, id, 'update-department');
      const after: DepartmentRow = {
        id,
        name: change.name ?? before.name,
        officeId: change.officeId !== undefined ? change.officeId : before.officeId,
        issuerCode: change.issuerCode !== undefined ? change.issuerCode : before.issuerCode,
      };
      if (after.officeId !== before.officeId) requireGlobal(a, 'update-department', 'sets the rule-of-law office a department reports to', id);
      if (after.issuerCode !== before.issuerCode) requireGlobal(a, 'update-department', 'sets the issuer code documents are numbered under', id);
      await this.checkOffice(repos, after);
      if (JSON.stringify(after) === JSON.stringify(before)) return after;
      await repos.directory.updateDepartment(after);
      await this.audit.append(repos, { category: 'configuration', action: 'update-department', actor: actorIn(a, id), departmentId: id, details: { departmentId: id, before, after } });
      return after;
    });
  }

  /**
   * A new user, with roles in one department. The password is never one the user chose, so the
   * user must replace it before anything else (POST /api/auth/password); a generated one is answered once.
   * Only a global administrator creates accounts: whoever creates one knows its first password and
   * could take it over, so a department administrator could otherwise staff every step of a chain
   * with accounts of their own (separation of duties compares accounts, not people).
   */
  async createUser(a: Administrator, cmd: NewUser): Promise<{ id: string; username: string; displayName: string; roles: RoleGrant[]; oneTimePassword?: string }> {
    requireGlobal(a, 'create-user', 'creates accounts', cmd.departmentId ?? null);
    const departmentId = cmd.departmentId ?? null;
    const roles = [...new Set(cmd.roles ?? [])];
    if (!USERNAME.test(cmd.username)) throw validationFailed([{ field: 'username', reason: 'username must be 2 to 64 letters, digits, _ . or -' }]);
    checkShownNames({ displayName: cmd.displayName });
    if (!isGlobal(a) && (!departmentId || !roles.length)) {
      throw validationFailed([{ field: departmentId ? 'roles' : 'departmentId', reason: `a department administrator creates users of their department with at least one role (${(a.scope as string[]).join(', ')})` }]);
    }
    if (!departmentId && roles.some((r) => r !== 'admin')) throw validationFailed([{ field: 'departmentId', reason: `departmentId is required for ${roles.filter((r) => r !== 'admin').join(', ')}` }]);
    const grants = roles.map((role): RoleGrant => ({ role, departmentId }));
    for (const g of grants) requireGrantable(a, g, 'create-user');
    if (departmentId) requireDepartment(a, departmentId, 'create-user');
    const problem = cmd.password === undefined ? null : passwordProblem(cmd.password, cmd.username);
    if (problem) throw validationFailed([{ field: 'password', reason: problem }]);
    const password = cmd.password ?? generatedPassword(cmd.username);
    const passwordHash = await hashPassword(password);
    return this.writer.run(async (repos) => {
      if (departmentId && !(await repos.directory.department(departmentId))) throw validationFailed([{ field: 'departmentId', reason: `no department "${departmentId}"` }]);
      const at = this.clock.now().toISOString();
      const id = newId();
      if (!(await repos.directory.createUser({ id, username: cmd.username, displayName: cmd.displayName, passwordHash }, at, true))) {
        throw new DomainError(ErrorCode.CONFLICT, `username "${cmd.username}" is taken`, { field: 'username' });
      }
      for (const g of grants) await repos.directory.grant(id, g, at);
      const after = { username: cmd.username, displayName: cmd.displayName, roles: await repos.directory.grantsOf(id), disabled: false, passwordChangeRequired: true };
      await this.audit.append(repos, { category: 'configuration', action: 'create-user', actor: actorIn(a, departmentId), departmentId, details: { userId: id, username: cmd.username, before: null, after } });
      return { id, username: cmd.username, displayName: cmd.displayName, roles: after.roles, ...(cmd.password === undefined ? { oneTimePassword: password } : {}) };
    });
  }

  updateUser(a: Administrator, userId: string, change: { displayName?: string }): Promise<{ id: string; username: string; displayName: string }> {
    checkShownNames({ displayName: change.displayName });
    return this.writer.run(async (repos) => {
      const target = await this.target(repos, a, userId, 'update-user');
      const after = { displayName: change.displayName ?? target.displayName };
      if (after.displayName !== target.displayName) {
        await repos.directory.setDisplayName(target.id, after.displayName);
        await this.audit.append(repos, {
          category: 'configuration',
          action: 'update-user',
          actor: actorIn(a, homeDepartment(target)),
          departmentId: homeDepartment(target),
          details: { userId: target.id, username: target.username, before: { displayName: target.displayName }, after },
        });
      }
      return { id: target.id, username: target.username, ...after };
    });
  }

  /**
   * The user can no longer log in, and every token of theirs is refused at once (the token epoch);
   * the open tasks they hold by name are handed on. Disabling again hands on what is still theirs.
   * The last leader of a department is not disabled (409): grant the role to someone else first.
   */
  async disableUser(a: Administrator, userId: string, comment = ''): Promise<{ id: string; username: string; disabled: true; changed: boolean; tasks: HandOver }> {
    const { target, changed } = await this.writer.run(async (repos) => {
      const target = await this.target(repos, a, userId, 'disable-user');
      await this.keepLeaders(repos, target, leaderDepartments(target));
      const changed = await repos.directory.setDisabled(target.id, this.clock.now().toISOString());
      if (changed) await this.recordDisabled(repos, a, target, true, comment);
      return { target, changed };
    });
    const cause: HandOnCause = { cause: 'disable-user', by: actorIn(a, homeDepartment(target)) };
    return { id: target.id, username: target.username, disabled: true, changed, tasks: await this.handOver(a, cause, target, comment, () => true) };
  }

  /**
   * Logins work again; tokens issued before the disabling stay refused. Tasks handed on stay where
   * they went. A global administrator's: a department administrator disables at once (someone left)
   * but would otherwise lift a disabling a global administrator decided.
   */
  enableUser(a: Administrator, userId: string): Promise<{ id: string; username: string; disabled: false; changed: boolean }> {
    requireGlobal(a, 'enable-user', 'enables accounts');
    return this.writer.run(async (repos) => {
      const target = await this.target(repos, a, userId, 'enable-user');
      const changed = await repos.directory.setDisabled(target.id, null);
      if (changed) await this.recordDisabled(repos, a, target, false, '');
      return { id: target.id, username: target.username, disabled: false as const, changed };
    });
  }

  /** A role in a department (`admin` also globally); 409 when already held. The user's sessions end (their roles are in every check). */
  async grantRole(a: Administrator, userId: string, grant: RoleGrant, comment = ''): Promise<{ userId: string; role: Role; departmentId: string | null; roles: RoleGrant[]; tasks?: HandOver }> {
    checkGrantShape(grant);
    const { target, after } = await this.writer.run(async (repos) => {
      const target = await this.target(repos, a, userId, 'grant-role', grant);
      if (grant.departmentId && !(await repos.directory.department(grant.departmentId))) throw validationFailed([{ field: 'departmentId', reason: `no department "${grant.departmentId}"` }]);
      // A supervisor never decides: a leader made one stops being a leader who can act.
      if (grant.role === 'supervisor') await this.keepLeaders(repos, target, leaderDepartments(target));
      const before = await repos.directory.grantsOf(target.id);
      if (!(await repos.directory.grant(target.id, grant, this.clock.now().toISOString()))) {
        throw new DomainError(ErrorCode.CONFLICT, `${target.username} already holds ${grant.role}${grant.departmentId ? ` in ${grant.departmentId}` : ' globally'}`, { field: 'role' });
      }
      const after = await this.recordGrant(repos, a, target, 'grant-role', grant, before);
      return { target, after };
    });
    const tasks = grant.role === 'supervisor' ? await this.handOver(a, { cause: 'grant-role', by: actorIn(a, grant.departmentId) }, target, comment, () => true) : undefined;
    return { userId: target.id, role: grant.role, departmentId: grant.departmentId, roles: after, ...(tasks ? { tasks } : {}) };
  }

  /** Takes a role away (404 when not held); the open tasks the user held by name in it are handed on. */
  async revokeRole(a: Administrator, userId: string, grant: RoleGrant, comment = ''): Promise<{ userId: string; role: Role; departmentId: string | null; roles: RoleGrant[]; tasks: HandOver }> {
    checkGrantShape(grant);
    const { target, after } = await this.writer.run(async (repos) => {
      const target = await this.target(repos, a, userId, 'revoke-role', grant);
      if (grant.role === 'leader' && grant.departmentId) await this.keepLeaders(repos, target, [grant.departmentId]);
      const before = await repos.directory.grantsOf(target.id);
      // A department administrator taking a user's last role would lose sight of them (a user is seen through
      // a role), and could neither grant them one again nor disable them: they disable instead.
      if (!isGlobal(a) && before.length === 1 && before[0].role === grant.role && before[0].departmentId === grant.departmentId) {
        throw new DomainError(ErrorCode.CONFLICT, 'this is the user\'s last role: disable the user instead', { rule: 'last-role' });
      }
      if (!(await repos.directory.revoke(target.id, grant))) throw notFound('role grant');
      return { target, after: await this.recordGrant(repos, a, target, 'revoke-role', grant, before) };
    });
    // The tasks of that role there, and those named to them in a department they no longer hold any role in.
    const left = (t: TaskRow) =>
      t.departmentId === grant.departmentId && (t.assigneeRole ? t.assigneeRole === grant.role : !after.some((g) => g.departmentId === t.departmentId));
    const tasks = await this.handOver(a, { cause: 'revoke-role', by: actorIn(a, grant.departmentId) }, target, comment, left);
    return { userId: target.id, role: grant.role, departmentId: grant.departmentId, roles: after, tasks };
  }

  /**
   * Whom a supervisor oversees: `supervisor` held in exactly these departments (a rule-of-law
   * office's supervisor also oversees every department reporting to it). Global administrators only.
   */
  async setSupervision(a: Administrator, userId: string, departmentIds: string[]): Promise<{ userId: string; departmentIds: string[]; oversees: string[]; tasks?: HandOver }> {
    requireGlobal(a, 'set-supervision', 'sets whom a supervisor oversees');
    const wanted = [...new Set(departmentIds)].sort();
    const { target, after, oversees } = await this.writer.run(async (repos) => {
      const target = await this.target(repos, a, userId, 'set-supervision');
      const unknown = [];
      for (const [i, id] of departmentIds.entries()) if (!(await repos.directory.department(id))) unknown.push({ field: `departmentIds[${i}]`, reason: `no department "${id}"` });
      if (unknown.length) throw validationFailed(unknown);
      const before = target.grants.filter((g) => g.role === 'supervisor').map((g) => g.departmentId!).sort();
      if (wanted.length && !before.length) await this.keepLeaders(repos, target, leaderDepartments(target));
      const at = this.clock.now().toISOString();
      for (const id of before.filter((d) => !wanted.includes(d))) await repos.directory.revoke(target.id, { role: 'supervisor', departmentId: id });
      for (const id of wanted.filter((d) => !before.includes(d))) await repos.directory.grant(target.id, { role: 'supervisor', departmentId: id }, at);
      if (JSON.stringify(before) !== JSON.stringify(wanted)) {
        await this.audit.append(repos, { category: 'configuration', action: 'set-supervision', actor: a.actor, details: { userId: target.id, username: target.username, before, after: wanted } });
      }
      return { target, after: wanted, oversees: await repos.directory.supervisedScope(wanted) };
    });
    const tasks = after.length ? await this.handOver(a, { cause: 'set-supervision', by: a.actor }, target, '', () => true) : undefined;
    return { userId: target.id, departmentIds: after, oversees, ...(tasks ? { tasks } : {}) };
  }

  /** The command line names users by username. */
  async userIdOf(username: string): Promise<string> {
    const user = await this.reader.directory.userByUsername(username);
    if (!user) throw validationFailed([{ field: 'username', reason: `no user "${username}"` }]);
    return user.id;
  }

  /** The command line prints people by username (an id with no user stays as it is). */
  async usernamesOf(userIds: string[]): Promise<Record<string, string>> {
    const names: Record<string, string> = {};
    for (const id of new Set(userIds)) names[id] = (await this.reader.directory.userById(id))?.username ?? id;
    return names;
  }

  /** The user an administrator changes: 404 when there is none; 403 when they may not change them (or the grant). */
  /** The user a change is about, read after their row is locked: their grants are the ones this change judges and changes. */
  private async target(repos: Repositories, a: Administrator, userId: string, action: string, grant?: RoleGrant): Promise<Principal> {
    await repos.directory.lockUser(userId);
    const target = await repos.directory.principal(userId);
    if (!target) throw notFound('user');
    if (grant) requireGrantable(a, grant, action);
    requireManages(a, target, action);
    return target;
  }

  private async checkOffice(repos: Repositories, d: DepartmentRow): Promise<void> {
    if (!d.officeId) return;
    if (d.officeId === d.id) throw validationFailed([{ field: 'officeId', reason: 'a department does not report to itself' }]);
    if (!(await repos.directory.department(d.officeId))) throw validationFailed([{ field: 'officeId', reason: `no department "${d.officeId}"` }]);
  }

  /**
   * Every seat nobody else may decide ends with the department's leader (staffing.ts): a change that
   * would leave a department with no leader who can act (enabled, supervising nowhere) is refused.
   */
  private async keepLeaders(repos: Repositories, target: Principal, departments: string[]): Promise<void> {
    for (const departmentId of [...departments].sort()) {
      // Counted under the department's lock: two changes at once cannot each leave the other's leader as the last.
      await repos.directory.lockDepartment(departmentId);
      const leaders = await repos.directory.activeHolders('leader', departmentId);
      if (leaders.length === 1 && leaders[0] === target.id) {
        throw new DomainError(ErrorCode.CONFLICT, `${target.username} is the only leader of ${departmentId} who can act: grant the role to someone else first`, {
          rule: LAST_LEADER,
          departmentId,
        });
      }
    }
  }

  private async recordDisabled(repos: Repositories, a: Administrator, target: Principal, disabled: boolean, comment: string): Promise<void> {
    const departmentId = homeDepartment(target);
    await this.audit.append(repos, {
      category: 'configuration',
      action: disabled ? 'disable-user' : 'enable-user',
      actor: actorIn(a, departmentId),
      departmentId,
      details: { userId: target.id, username: target.username, before: { disabled: !disabled }, after: { disabled }, ...(comment ? { comment } : {}) },
    });
  }

  /** The grant or revocation's entry, with the user's roles before and after; returns the roles after. */
  private async recordGrant(repos: Repositories, a: Administrator, target: Principal, action: 'grant-role' | 'revoke-role', grant: RoleGrant, before: RoleGrant[]): Promise<RoleGrant[]> {
    const after = await repos.directory.grantsOf(target.id);
    await this.audit.append(repos, {
      category: 'configuration',
      action,
      actor: actorIn(a, grant.departmentId),
      departmentId: grant.departmentId,
      details: { userId: target.id, username: target.username, role: grant.role, departmentId: grant.departmentId, before, after },
    });
    return after;
  }

  /**
   * The open tasks `user` holds by name that `which` selects, each handed on by the system through
   * the kernel's reassignment (one audited transition each, on behalf of `user`, naming the cause and
   * who acted) to the first candidate it accepts: the other holders of the task's role who can act,
   * or, for a task named to the user, whom staffing gives a seat nobody named may decide (the
   * escalation target, then the leader). The kernel judges each one (separation of duties: never the
   * author or an editor, never a second vote or step, never a supervisor). What nobody may take stays
   * with the user, listed with each refusal and recorded on its document, where the notification
   * feed tells the global administrators.
   */
  private async handOver(a: Administrator, why: HandOnCause, user: Principal, comment: string, which: (t: TaskRow) => boolean): Promise<HandOver> {
    const tasks = (await this.reader.tasks.openForUser(user.id)).filter(which);
    const result: HandOver = { reassigned: [], unassigned: [] };
    const handOn = { cause: why.cause, userId: user.id, by: why.by };
    for (const task of tasks) {
      const base = { taskId: task.id, documentId: task.documentId, stepKey: task.stepKey };
      // A department administrator's change reaches the tasks of their departments on documents they may read
      // only: a task the user still holds elsewhere (a role there taken away, nobody found; an office's seat on
      // a reporting department's document) is left for the global administrators, recorded on its document
      // and told to them, and not named in this administrator's answer.
      if (!isGlobal(a) && !(a.scope.includes(task.departmentId) && a.principal && (await this.reader.documents.isVisible(a.principal, task.documentId)))) {
        await this.recordLeft(task, handOn, { ...base, reason: 'outside the departments of the administrator who made the change', refused: [] });
        continue;
      }
      const refused: HandOver['unassigned'][number]['refused'] = [];
      let outcome: 'reassigned' | 'closed' | 'unassigned' = 'unassigned';
      for (const candidate of await this.candidates(task, user, a)) {
        try {
          await this.transition.execute({
            documentId: task.documentId,
            taskId: task.id,
            action: 'reassign',
            principal: HAND_ON_PRINCIPAL,
            system: HAND_ON,
            delegateTo: candidate,
            comment,
            auditDetails: { handOn },
          });
          result.reassigned.push({ ...base, toUserId: candidate });
          outcome = 'reassigned';
          break;
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          // Decided or cancelled meanwhile: nothing is left to hand on.
          if (err.code === ErrorCode.TASK_NOT_OPEN) {
            outcome = 'closed';
            break;
          }
          const rule = (err.details as { rule?: string } | undefined)?.rule;
          refused.push({ userId: candidate, code: err.code, ...(rule ? { rule } : {}) });
          // A refusal of this candidate: try the next; anything else (the document diverged from its log) stops here.
          if (err.code !== ErrorCode.VALIDATION_FAILED && err.code !== ErrorCode.SEPARATION_OF_DUTIES) break;
        }
      }
      if (outcome !== 'unassigned') continue;
      const left = { ...base, reason: refused.length ? 'nobody who may decide it can take it' : 'nobody else can act in its role', refused };
      if (await this.recordLeft(task, handOn, left)) result.unassigned.push(left);
    }
    return result;
  }

  /**
   * A task nobody could be handed, recorded on its document (the system's `reassign`, failed, with
   * why): the timeline shows it and the notification feed tells the global administrators. False when
   * the task was decided or cancelled meanwhile (nothing is left). A document whose row diverged from
   * its log is reported by the kernel itself: the task is answered as left, unrecorded.
   */
  private async recordLeft(task: TaskRow, handOn: Record<string, unknown>, left: HandOver['unassigned'][number]): Promise<boolean> {
    try {
      return await this.writer.run(async (repos) => {
        const open = await this.kernel.open(repos, task.documentId, null, { action: 'reassign', taskId: task.id });
        if (!open.tasks.some((t) => t.id === task.id && t.status === 'open' && t.assigneeUserId === task.assigneeUserId)) return false;
        await this.kernel.record(
          repos,
          open.doc,
          { action: 'reassign', result: 'failure', actor: HAND_ON, details: { taskId: task.id, handOn, reason: left.reason, refused: left.refused } },
          open.tasks,
        );
        return true;
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return true;
    }
  }

  /**
   * Who may be handed `task`, in order; the kernel decides whether each may take it. Never the
   * administrator whose change this is: no one hands work to themself by disabling a colleague.
   */
  private async candidates(task: TaskRow, user: Principal, a: Administrator): Promise<string[]> {
    const repos = this.reader;
    const refs: { role: Role; departmentId: string | null }[] = [];
    if (task.assigneeRole) refs.push({ role: task.assigneeRole, departmentId: task.departmentId });
    else {
      const doc = await repos.documents.get(task.documentId);
      const department = doc && (await repos.directory.department(doc.departmentId));
      if (doc && department) {
        const step = (await this.chains.get(repos, doc.chainKey, doc.chainVersion)).step(task.stepKey);
        for (const ref of [step.escalation?.to, LEADER]) if (ref) refs.push({ role: ref.role, departmentId: resolveDepartment(ref, doc, department) });
      }
    }
    const ids: string[] = [];
    for (const ref of refs) if (ref.departmentId) ids.push(...(await repos.directory.activeHolders(ref.role, ref.departmentId)));
    return [...new Set(ids)].filter((id) => id !== user.id && id !== a.principal?.id);
  }
}

/** The departments where `p` holds `leader`. */
const leaderDepartments = (p: Principal) => p.grants.filter((g) => g.role === 'leader' && g.departmentId).map((g) => g.departmentId!);

/** A new department's entry: nothing before, the row after. */
/**
 * Names people read to know who or what acts (a display name, a department's name or issuer code)
 * show what they are: no control, format or invisible characters (a bidi override or zero-width
 * spaces would let one name pass for another, or for none). 400 naming the field.
 */
function checkShownNames(names: Record<string, string | null | undefined>): void {
  for (const [field, name] of Object.entries(names)) {
    if (typeof name !== 'string') continue;
    const hidden = hiddenCharacterIn(name);
    if (hidden) throw validationFailed([{ field, reason: `${field} ${hidden}` }]);
  }
}

export const createdDepartment = (d: DepartmentRow) => ({ departmentId: d.id, before: null, after: { id: d.id, name: d.name, officeId: d.officeId, issuerCode: d.issuerCode ?? null } });

/** A role is held in a department; only `admin` may be held globally. */
function checkGrantShape(grant: RoleGrant): void {
  if (!grant.departmentId && grant.role !== 'admin') throw validationFailed([{ field: 'departmentId', reason: `departmentId is required for ${grant.role}` }]);
}

/** 16 random characters (96 bits): a password nobody chose, for the user to replace at first login. */
function generatedPassword(username: string): string {
  for (;;) {
    const password = randomBytes(12).toString('base64url');
    if (!passwordProblem(password, username)) return password;
  }
}
