import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { Role } from '@shenpi/domain';
import { CHAIN_LIMITS, ChainDefinition, type Condition, type FieldSpec, type SignerRef, type StepDefinition } from './chain-definition.schema.js';
import { BUILT_IN_EVENTS, forwardOf, Routing } from './chain-compiler.js';
import { walkChain } from './chain-walk.js';
import { declaredSigners } from './signing.js';

export interface LintIssue {
  path: string;
  reason: string;
}

export interface LintResult {
  valid: boolean;
  errors: LintIssue[];
  warnings: LintIssue[];
  definition?: ChainDefinition;
}

/**
 * Who exists, for an administrator's definition: a step naming a role nobody holds, or a user
 * who does not exist, would stall every document that reaches it. Shipped chains are linted
 * without it (they are published before anyone is seeded).
 */
export interface LintDirectory {
  /** Does anyone hold `role` in a department (`document`) or in a rule-of-law office (`office`)? */
  roleHeld(role: Role, where: 'document' | 'office'): boolean;
  userExists(id: string): boolean;
  /**
   * Every department where seats of `where` resolve (`document`: each department that is not a
   * rule-of-law office; `office`: each office), with who holds which role there. Without it the
   * lint does not check that separation of duties leaves enough people for each step.
   */
  staff?(where: 'document' | 'office'): readonly DepartmentStaff[];
}

/** Who holds which role in one department; supervisors are left out, as they never decide. */
export interface DepartmentStaff {
  departmentId: string;
  holders: Partial<Record<Role, readonly string[]>>;
}

/** The drafting department's own work step (e.g. public participation): not a review seat. */
const DRAFTING_ROLE: Role = 'drafter';

function flatten(errors: ValidationError[], parent = ''): LintIssue[] {
  return errors.flatMap((e) => {
    const path = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ path, reason }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/** Schema validation, then the structural checks a schema cannot express, then every path walked. */
export function lintChainDefinition(raw: unknown, directory?: LintDirectory): LintResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { valid: false, errors: [{ path: '', reason: 'a chain definition must be a JSON object' }], warnings: [] };
  }
  const bytes = Buffer.byteLength(JSON.stringify(raw), 'utf8');
  if (bytes > CHAIN_LIMITS.definitionBytes) {
    return { valid: false, errors: [{ path: '', reason: `a chain definition is at most ${CHAIN_LIMITS.definitionBytes / 1024} KB of JSON, this one is ${Math.ceil(bytes / 1024)} KB` }], warnings: [] };
  }
  const definition = plainToInstance(ChainDefinition, raw);
  const errors = flatten(validateSync(definition, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }));
  if (errors.length) return { valid: false, errors, warnings: [] };
  const warnings: LintIssue[] = [];
  const index = new Map<string, number>();
  definition.steps.forEach((s, i) => {
    if (index.has(s.key)) errors.push({ path: `steps[${i}].key`, reason: `duplicate step key "${s.key}"` });
    else index.set(s.key, i);
  });
  const fields = new Map<string, FieldSpec>();
  (definition.fields ?? []).forEach((f, i) => {
    if (fields.has(f.key)) errors.push({ path: `fields[${i}].key`, reason: `duplicate field "${f.key}"` });
    fields.set(f.key, f);
  });
  const milestoneKeys = new Set<string>();
  (definition.milestones ?? []).forEach((m, i) => {
    if (milestoneKeys.has(m.key)) errors.push({ path: `milestones[${i}].key`, reason: `duplicate milestone "${m.key}"` });
    milestoneKeys.add(m.key);
    if (!index.has(m.step)) errors.push({ path: `milestones[${i}].step`, reason: `no step "${m.step}"` });
  });
  if (!index.has(definition.initial)) errors.push({ path: 'initial', reason: `no step "${definition.initial}"` });
  definition.steps.forEach((s, i) => {
    errors.push(...checkSigners(s, `steps[${i}]`, directory));
    errors.push(...checkTransitions(s, i, index, directory));
    if (s.when) {
      errors.push(...checkCondition(s.when, `steps[${i}].when`, fields));
      if (s.key === definition.initial) errors.push({ path: `steps[${i}].when`, reason: 'the initial step always runs' });
      if (!forwardOf(definition, s)) errors.push({ path: `steps[${i}].when`, reason: 'a conditional step needs a transition to a later step, to pass on to when it does not apply' });
    }
    errors.push(...checkTimers(s, i, directory));
  });
  if (!errors.length) {
    if (!definition.steps.some((s) => s.final)) errors.push({ path: 'steps', reason: 'the chain has no final step' });
    // The walk needs the routing only: compiling the XState machine is left to the chain's first document.
    const walk = walkChain({ definition, routing: new Routing(definition) });
    // A walk of some combinations only cannot prove a step unreachable or stuck: it says so as a warning.
    const found = walk.truncated ? warnings : errors;
    if (walk.truncated) warnings.push({ path: 'fields', reason: `conditions combine more field values than the ${walk.variants} walked: paths through the others are not checked` });
    definition.steps.forEach((s, i) => {
      if (!walk.reached.has(s.key)) found.push({ path: `steps[${i}]`, reason: `unreachable step "${s.key}"${walk.truncated ? ' in the combinations of field values walked' : ''}` });
      else if (walk.stuck.has(s.key) && definition.steps.some((x) => x.final)) {
        found.push({ path: `steps[${i}]`, reason: `no way on from "${s.key}" to a final step (a cycle without exit)` });
      }
    });
    definition.steps.forEach((s, i) => {
      if (declaredSigners(s).length && !s.deadline) warnings.push({ path: `steps[${i}].deadline`, reason: `step "${s.key}" has no deadline` });
      warnings.push(...relaxedSeparation(s, i), ...checkStaffing(s, i, directory));
    });
  }
  return errors.length ? { valid: false, errors, warnings } : { valid: true, errors, warnings, definition };
}

function checkSigners(s: StepDefinition, at: string, directory: LintDirectory | undefined): LintIssue[] {
  const errors: LintIssue[] = [];
  if (s.assignee && s.assignees) errors.push({ path: `${at}.assignees`, reason: 'give either assignee or assignees, not both' });
  if (s.assignee) errors.push(...checkRole(s.assignee.role, s.assignee.department, `${at}.assignee.role`, directory));
  (s.assignees ?? []).forEach((a, k) => {
    const path = `${at}.assignees[${k}]`;
    if (!!a.role === !!a.userId) errors.push({ path: `${path}.role`, reason: 'give a role or a userId' });
    else if (a.userId && a.department) errors.push({ path: `${path}.department`, reason: 'a named user is not resolved by department' });
    else if (a.userId && s.assignees!.findIndex((x) => x.userId === a.userId) < k) errors.push({ path: `${path}.userId`, reason: 'this user already signs the step: one person holds one seat' });
    else if (a.userId && directory && !directory.userExists(a.userId)) errors.push({ path: `${path}.userId`, reason: `no user ${a.userId}` });
    else if (a.role) errors.push(...checkRole(a.role, a.department ?? 'document', `${path}.role`, directory));
  });
  const count = s.assignees?.length ?? (s.assignee ? 1 : 0);
  if ((s.signing || s.threshold) && !s.assignees) errors.push({ path: `${at}.assignees`, reason: 'signing and threshold apply to assignees' });
  if (s.threshold !== undefined && (s.signing ?? 'all') !== 'all') errors.push({ path: `${at}.threshold`, reason: 'a threshold applies to signing "all" (会签)' });
  // signing.ts would clamp it; refused here, since each approval must come from a different person.
  if (s.threshold !== undefined && s.threshold > count) errors.push({ path: `${at}.threshold`, reason: `more approvals than the ${count} signers: each approval needs a different person` });
  if (s.final && count) errors.push({ path: `${at}.assignees`, reason: 'a final step has no signers' });
  return errors;
}

function relaxedSeparation(s: StepDefinition, i: number): LintIssue[] {
  if (!s.allowSameDeciderAcrossSteps) return [];
  return [{ path: `steps[${i}].allowSameDeciderAcrossSteps`, reason: `step "${s.key}" relaxes separation of duties (不相容职务分离): whoever decided another review step of the document may decide this one` }];
}

/** Distinct people the step's decision takes: 或签 one, 依次 every seat, 会签 the threshold or every seat. */
function peopleNeeded(s: StepDefinition, seats: number): number {
  if (s.signing === 'any') return 1;
  if (s.signing === 'sequence') return seats;
  return s.threshold ?? seats;
}

/**
 * Warns where separation of duties leaves a department fewer people than a step needs: its
 * documents would stall there. Seats of the office and of the department are counted apart; seats
 * outside the group counted (and drafting seats) are assumed to supply a person each.
 */
function checkStaffing(s: StepDefinition, i: number, directory: LintDirectory | undefined): LintIssue[] {
  if (!directory?.staff) return [];
  const seats = declaredSigners(s);
  const review = seats.filter((a) => a.role !== DRAFTING_ROLE);
  if (!review.length) return [];
  const placeOf = (a: SignerRef) => a.department ?? 'document';
  const places = [...new Set(review.filter((a) => a.role).map(placeOf))];
  const warnings: LintIssue[] = [];
  // A step of named users only is checked against the departments whose documents it reviews.
  for (const place of places.length ? places : ['document' as const]) {
    // Named users are nobody's department: they count as themselves wherever the step runs.
    const group = review.filter((a) => a.userId || placeOf(a) === place);
    const needed = peopleNeeded(s, seats.length) - (seats.length - group.length);
    if (needed <= 0) continue;
    for (const dept of directory.staff(place)) {
      const people = eligibleDeciders(group, dept);
      if (people < needed) {
        warnings.push({ path: `steps[${i}]`, reason: `department ${dept.departmentId} has ${people} ${people === 1 ? 'person' : 'people'} who can decide "${s.key}" under separation of duties, it needs ${needed}` });
      }
    }
  }
  return warnings;
}

/**
 * The distinct people who may fill `seats` in a department. One fewer when one of them also drafts
 * there: the author never decides, and may well be among them.
 */
function eligibleDeciders(seats: SignerRef[], dept: DepartmentStaff): number {
  const people = new Set(seats.flatMap((a) => (a.userId ? [a.userId] : (dept.holders[a.role!] ?? []))));
  const drafters = dept.holders[DRAFTING_ROLE] ?? [];
  return people.size - (drafters.some((u) => people.has(u)) ? 1 : 0);
}

function checkRole(role: Role, where: 'document' | 'office', path: string, directory: LintDirectory | undefined): LintIssue[] {
  if (!directory || directory.roleHeld(role, where)) return [];
  return [{ path, reason: where === 'office' ? `no user holds "${role}" in any rule-of-law office` : `no user holds "${role}" in any department` }];
}

function checkTransitions(s: StepDefinition, i: number, index: Map<string, number>, directory: LintDirectory | undefined): LintIssue[] {
  const errors: LintIssue[] = [];
  const signed = declaredSigners(s).length > 0;
  if (s.final && s.transitions.length) errors.push({ path: `steps[${i}].transitions`, reason: 'a final step has no transitions' });
  if (!s.final && !s.transitions.some((t) => t.to)) errors.push({ path: `steps[${i}]`, reason: 'dead end: a step that is not final must lead somewhere' });
  const actions = new Set<string>();
  s.transitions.forEach((t, j) => {
    const at = `steps[${i}].transitions[${j}]`;
    if (actions.has(t.action)) errors.push({ path: `${at}.action`, reason: `duplicate action "${t.action}" in step "${s.key}"` });
    actions.add(t.action);
    if (RESERVED_ACTIONS.has(t.action)) errors.push({ path: `${at}.action`, reason: `"${t.action}" is a built-in action` });
    if (t.to !== undefined && !index.has(t.to)) errors.push({ path: `${at}.to`, reason: `no step "${t.to}"` });
    if (!t.by && !signed) errors.push({ path: `${at}.by`, reason: 'a decision needs an assignee on its step, or name who acts in "by"' });
    if (t.by) errors.push(...checkRole(t.by.role, t.by.department, `${at}.by.role`, directory));
    if (t.action === 'return' && t.to && (index.get(t.to) ?? -1) >= i) errors.push({ path: `${at}.to`, reason: `a return goes to an earlier step, not "${t.to}"` });
    (t.returnTo ?? []).forEach((r, k) => {
      const target = index.get(r);
      if (target === undefined) errors.push({ path: `${at}.returnTo[${k}]`, reason: `no step "${r}"` });
      else if (target >= i) errors.push({ path: `${at}.returnTo[${k}]`, reason: `"${r}" is not an earlier step` });
    });
    if (t.returnTo && !t.to) errors.push({ path: `${at}.to`, reason: 'a transition with returnTo names its default target in "to"' });
    if (t.returnTo && t.to && !t.returnTo.includes(t.to)) errors.push({ path: `${at}.returnTo`, reason: `must include the default target "${t.to}"` });
  });
  return errors;
}

/** Events the engine itself gives every step (see the compiler): a chain cannot redefine them. */
const RESERVED_ACTIONS = new Set<string>([...BUILT_IN_EVENTS, 'create', 'migrate', 'migrate-forced', 'urge', 'copy-to']);

function checkCondition(c: Condition, path: string, fields: Map<string, FieldSpec>, depth = 1): LintIssue[] {
  const forms = [c.field !== undefined, c.all !== undefined, c.any !== undefined].filter(Boolean).length;
  if (forms !== 1) return [{ path, reason: 'give exactly one of field, all, any' }];
  if ((c.all || c.any) && depth >= CHAIN_LIMITS.conditionDepth) return [{ path, reason: `conditions nest at most ${CHAIN_LIMITS.conditionDepth} levels deep` }];
  if (c.all) return c.all.flatMap((x, k) => checkCondition(x, `${path}.all[${k}]`, fields, depth + 1));
  if (c.any) return c.any.flatMap((x, k) => checkCondition(x, `${path}.any[${k}]`, fields, depth + 1));
  const spec = fields.get(c.field!);
  if (!spec) return [{ path: `${path}.field`, reason: `the chain declares no field "${c.field}"` }];
  const op = c.op ?? 'eq';
  const ok =
    op === 'exists'
      ? c.value === undefined || typeof c.value === 'boolean'
      : op === 'in'
        ? Array.isArray(c.value) && c.value.length > 0 && c.value.every((v) => typeof v === spec.type)
        : ['gt', 'gte', 'lt', 'lte'].includes(op)
          ? spec.type === 'number' && typeof c.value === 'number'
          : typeof c.value === spec.type;
  return ok ? [] : [{ path: `${path}.value`, reason: `"${op}" on ${spec.type} field "${spec.key}" needs ${op === 'in' ? `a list of ${spec.type}s` : op === 'exists' ? 'true, false or nothing' : `a ${op.startsWith('g') || op.startsWith('l') ? 'number' : spec.type}`}` }];
}

function checkTimers(s: StepDefinition, i: number, directory: LintDirectory | undefined): LintIssue[] {
  const errors: LintIssue[] = [];
  const timers: [string, object | undefined, string[]][] = [
    [`steps[${i}].deadline`, s.deadline, ['workingDays', 'calendarDays', 'before', 'seconds']],
    ...(s.reminders ?? []).map((r, j): [string, object, string[]] => [`steps[${i}].reminders[${j}]`, r, ['workingDaysBefore', 'secondsBefore']]),
    [`steps[${i}].escalation`, s.escalation, ['afterWorkingDays', 'afterSeconds']],
    [`steps[${i}].escalation.then`, s.escalation?.then, ['afterWorkingDays', 'afterSeconds']],
  ];
  for (const [path, spec, units] of timers) {
    if (!spec) continue;
    const given = units.filter((u) => (spec as Record<string, unknown>)[u] !== undefined);
    const optional = path.includes('escalation');
    if (given.length > 1 || (!optional && given.length === 0)) errors.push({ path, reason: `give exactly one of ${units.join(', ')}` });
  }
  const signers = declaredSigners(s);
  if ((s.reminders?.length || s.escalation) && !s.deadline) errors.push({ path: `steps[${i}].deadline`, reason: 'reminders and escalation need a deadline' });
  if ((s.deadline || s.reminders?.length || s.escalation) && !signers.length) errors.push({ path: `steps[${i}].assignee`, reason: 'timers run on a step with an assignee' });
  if (s.escalation) errors.push(...checkRole(s.escalation.to.role, s.escalation.to.department, `steps[${i}].escalation.to.role`, directory));
  const then = s.escalation?.then;
  if (then && signers.length > 1) {
    errors.push({ path: `steps[${i}].escalation.then`, reason: 'an automatic decision needs a step with one signer' });
  } else if (then && !s.transitions.some((t) => t.action === then.action && !t.by)) {
    errors.push({ path: `steps[${i}].escalation.then.action`, reason: `"${then.action}" is not a decision of step "${s.key}"` });
  } else if (then && s.transitions.find((t) => t.action === then.action)?.commentRequired && !then.comment) {
    errors.push({ path: `steps[${i}].escalation.then.comment`, reason: `"${then.action}" needs a comment` });
  }
  return errors;
}
