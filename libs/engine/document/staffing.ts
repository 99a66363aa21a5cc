import type { AssigneeRef, Signer, StepDefinition } from '@shenpi/chains';
import type { Role } from '@shenpi/domain';
import type { DepartmentRow, DocumentRow, Repositories } from '@shenpi/persistence';
import { resolveDepartment } from './access-rules.js';
import type { HoldersCache } from './holders-cache.js';
import { asPerson, judge, readReviewRound, type Person, type ReviewRound, type Seat, type SodRule } from './separation-of-duties.js';

/** Who a seat's task goes to. */
export interface Assignment {
  departmentId: string;
  assigneeRole: Role | null;
  assigneeUserId: string | null;
  delegatedFrom: string | null;
  /** Set when nobody the step names may decide the seat (the task went elsewhere, or stays unstaffed). */
  reroute?: Reroute;
}

/** Why a seat's task left the people the step names: recorded in the entering transition's audit entry. */
export interface Reroute {
  signer: string;
  from: { role: Role | null; userId: string | null; departmentId: string };
  /** The escalation target or the department's leader; null when nobody may decide it (the lint warns of this). */
  to: { role: Role; departmentId: string } | null;
  /** Each person named who may not take it: the separation-of-duties rule, or `disabled` (the account was disabled). */
  excluded: { userId: string; rule: SodRule | typeof DISABLED }[];
}

/** A named signer whose account is disabled: nobody could ever decide the task, so it goes where a refused seat goes. */
export const DISABLED = 'disabled' as const;

/** Holders kept across changes (HoldersCache), and the directory version the change's transaction read. */
export interface KeptDirectory {
  cache: HoldersCache;
  version: number;
}

/** Where a seat nobody may decide goes: the step's escalation target, then the department's leader. */
const LEADER: AssigneeRef = { role: 'leader', department: 'document' };

/**
 * Gives each seat of a step being entered to people who may decide it under separation of duties.
 * Seats drawing on one role in one department need as many distinct eligible holders as there are
 * seats; a seat nobody may decide goes to the escalation target or the leader, so a document never
 * sticks on the rules when someone else can decide.
 */
export class Staffing {
  private readonly people = new Map<string, Person>();
  /** Whom each holder read with their role is away to at the entry's instant (null: at work). */
  private readonly substitutes = new Map<string, string | null>();
  private readonly taken = new Map<string, number>();
  /** People already given a seat of this step by name (a substitute, or whom they stand for): one seat each. */
  private readonly given = new Set<string>();
  readonly rerouted: Reroute[] = [];

  private constructor(
    private readonly repos: Repositories,
    readonly round: ReviewRound,
    private readonly doc: DocumentRow,
    private readonly department: DepartmentRow,
    private readonly directory: KeptDirectory | undefined,
  ) {}

  /** `directory`: holders kept at the directory version this transaction read, when the caller has it. */
  static async of(repos: Repositories, doc: DocumentRow, department: DepartmentRow, round?: ReviewRound, directory?: KeptDirectory): Promise<Staffing> {
    return new Staffing(repos, round ?? (await readReviewRound(repos, doc)), doc, department, directory);
  }

  /** An open task already in the step holds its seat (and its people theirs). */
  hold(task: { assigneeRole: Role | null; assigneeUserId: string | null; delegatedFrom: string | null; departmentId: string }): void {
    if (task.assigneeUserId) this.give(task.assigneeUserId, task.delegatedFrom);
    else if (task.assigneeRole) this.taken.set(`${task.assigneeRole}@${task.departmentId}`, (this.taken.get(`${task.assigneeRole}@${task.departmentId}`) ?? 0) + 1);
  }

  async assign(signer: Signer, step: StepDefinition, round: number, departmentId: string, at: string): Promise<Assignment> {
    const seat: Seat = { step, round, role: signer.role ?? null, departmentId };
    if (signer.userId) {
      const disabled = (await this.repos.directory.accountState(signer.userId))?.disabled ?? true;
      const excluded = disabled ? [{ userId: signer.userId, rule: DISABLED }] : await this.excluded([signer.userId], seat);
      const named = { departmentId, assigneeRole: signer.role ?? null, assigneeUserId: signer.userId, delegatedFrom: null };
      if (excluded.length) return this.reroute(signer, seat, named, excluded);
      // Away: the substitute takes it if they may; else it waits for the named user, as a role's task waits for its holders.
      const assignment = (await this.substitute([signer.userId], seat, departmentId, signer.role ?? null, at)) ?? named;
      this.give(assignment.assigneeUserId!, assignment.delegatedFrom);
      return assignment;
    }
    const role = signer.role!;
    const holders = await this.holders(role, departmentId, at);
    const excluded = await this.excluded(holders, seat);
    const eligible = holders.filter((h) => !excluded.some((x) => x.userId === h));
    const asRole = { departmentId, assigneeRole: role, assigneeUserId: null, delegatedFrom: null };
    if (holders.length && !this.take(role, departmentId, eligible.length)) return this.reroute(signer, seat, asRole, excluded);
    const assignment = await this.substitute(eligible, seat, departmentId, role, at);
    if (assignment) this.give(assignment.assigneeUserId!, assignment.delegatedFrom);
    return assignment ?? asRole;
  }

  /**
   * A task goes to a substitute only when every eligible holder is away (代理), and only to a
   * substitute who may decide it and holds no other seat of the step; otherwise it waits.
   */
  private async substitute(eligible: string[], seat: Seat, departmentId: string, role: Role | null, at: string): Promise<Assignment | undefined> {
    if (!eligible.length) return undefined;
    const away: { userId: string; substituteId: string }[] = [];
    for (const userId of eligible) {
      const substituteId = await this.awayTo(userId, at);
      if (!substituteId) return undefined;
      away.push({ userId, substituteId });
    }
    for (const { userId, substituteId } of away) {
      if (this.given.has(substituteId) || this.given.has(userId)) continue;
      if (!(await this.excluded([substituteId], seat)).length) return { departmentId, assigneeRole: role, assigneeUserId: substituteId, delegatedFrom: userId };
    }
    return undefined;
  }

  /** Whom `userId` has left their work to at `at`: known for a role's holders (read with them), read for a named signer. */
  private async awayTo(userId: string, at: string): Promise<string | null> {
    if (this.substitutes.has(userId)) return this.substitutes.get(userId)!;
    return (await this.repos.proxies.activeFor(userId, at))?.substituteId ?? null;
  }

  private give(userId: string, onBehalfOf: string | null): void {
    this.given.add(userId);
    if (onBehalfOf) this.given.add(onBehalfOf);
  }

  private async reroute(signer: Signer, seat: Seat, original: Assignment, excluded: Reroute['excluded']): Promise<Assignment> {
    const from = { role: original.assigneeRole, userId: signer.userId ?? null, departmentId: original.departmentId };
    const targets = [seat.step.escalation?.to, LEADER].filter((t): t is AssigneeRef => !!t);
    for (const target of targets) {
      const departmentId = resolveDepartment(target, this.doc, this.department);
      if (!departmentId) continue;
      const holders = await this.holders(target.role, departmentId);
      const out = await this.excluded(holders, { ...seat, role: target.role, departmentId });
      const eligible = holders.filter((h) => !out.some((x) => x.userId === h));
      if (this.take(target.role, departmentId, eligible.length)) {
        const reroute = { signer: signer.id, from, to: { role: target.role, departmentId }, excluded };
        this.rerouted.push(reroute);
        return { departmentId, assigneeRole: target.role, assigneeUserId: null, delegatedFrom: null, reroute };
      }
    }
    const reroute = { signer: signer.id, from, to: null, excluded };
    this.rerouted.push(reroute);
    return { ...original, reroute };
  }

  /** Takes one more seat from a role's pool when it has an eligible holder left for it. */
  private take(role: Role, departmentId: string, eligible: number): boolean {
    const key = `${role}@${departmentId}`;
    const taken = this.taken.get(key) ?? 0;
    if (eligible <= taken) return false;
    this.taken.set(key, taken + 1);
    return true;
  }

  private async excluded(userIds: string[], seat: Seat): Promise<Reroute['excluded']> {
    const out: Reroute['excluded'] = [];
    for (const userId of userIds) {
      const { rule } = judge(this.round, seat, await this.person(userId));
      if (rule) out.push({ userId, rule });
    }
    return out;
  }

  /** A role's holders in a department; whether each supervises comes with them, and whom each is away to at `at` when given. */
  private async holders(role: Role, departmentId: string, at?: string): Promise<string[]> {
    const people = this.directory
      ? await this.directory.cache.holders(this.repos, this.directory.version, role, departmentId, at)
      : await this.repos.directory.holdersForDecision(role, departmentId, at);
    for (const { substituteId, ...person } of people) {
      this.people.set(person.id, person);
      if (substituteId !== undefined) this.substitutes.set(person.id, substituteId);
    }
    return people.map((p) => p.id);
  }

  /** Named signers' and substitutes' grants, read once per entry. */
  private async person(userId: string): Promise<Person> {
    let person = this.people.get(userId);
    if (!person) {
      const principal = await this.repos.directory.principal(userId);
      person = principal ? asPerson(principal) : { id: userId, supervisor: false };
      this.people.set(userId, person);
    }
    return person;
  }
}
