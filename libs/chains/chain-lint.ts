import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { fieldFaults, type Fault, type FieldFault, type Role, type ValueType } from '@shenpi/domain';
import { CHAIN_LIMITS, ChainDefinition, type Condition, type FieldSpec, type SignerRef, type StepDefinition } from './chain-definition.schema.js';
import { BUILT_IN_EVENTS, forwardOf, Routing } from './chain-compiler.js';
import { walkChain } from './chain-walk.js';
import { declaredSigners } from './signing.js';

export interface LintIssue {
  path: string;
  /** The finding in English, as API clients have always read it. */
  reason: string;
  /** The same finding in both languages, for people: `en` is `reason`; `zh` names keys and values in quotes. */
  message: { zh: string; en: string };
}

/** A finding, said in English (`reason`, unchanged for API clients) and in Chinese, side by side. */
const say = (path: string, en: string, zh: string): LintIssue => ({ path, reason: en, message: { zh, en } });

/** Role names as the statutes call them (domain README §5), for the Chinese of a finding; an unknown role stays a quoted key. */
const ROLE_ZH: Record<string, string> = {
  drafter: '起草人',
  'legal-counsel': '法律顾问',
  'party-secretary': '党组书记',
  leader: '主要负责人 / 分管领导',
  'rule-of-law-office': '法治建设办',
  supervisor: '督察员',
  admin: '系统管理员',
};
const roleZh = (role: string) => ROLE_ZH[role] ?? role;
/** The Chinese of the timer units a finding lists. */
const UNIT_ZH: Record<string, string> = {
  workingDays: '工作日', calendarDays: '自然日', before: '固定日期', seconds: '秒',
  workingDaysBefore: '提前工作日', secondsBefore: '提前秒数', afterWorkingDays: '逾期后工作日', afterSeconds: '逾期后秒数',
};
/** What a value of each field type is, and what the field is called by its type. */
const TYPE_ZH: Record<string, string> = { boolean: '布尔值（是或否）', string: '文字', number: '数字' };
const FIELD_TYPE_ZH: Record<string, string> = { boolean: '布尔型', string: '文字型', number: '数字型' };

/**
 * The schema's refusals in Chinese: the same fault as the English reason (validation-reasons.ts in
 * libs/domain chooses it), worded from its kind and bounds. Formats say what the constraint wants
 * (the values allowed are read back from the English, which the schema's decorators wrote).
 */
export const FORMAT_ZH: Record<string, (reason: string) => string> = {
  isIn: (r) => `须为以下取值之一：${(r.split('one of the following values: ')[1] ?? '').split(/,\s*/).filter(Boolean).map((v) => `“${v}”`).join('、')}`,
  arrayUnique: () => '各项不能重复',
  isUuid: () => '须为有效的用户编号',
  matches: (r) => (r.includes('camelCase') ? '须以小写字母开头，只含字母和数字（如“needsParty”）' : '须由小写字母、数字和单个短横线组成，以字母开头（如“legal-review”）'),
};
const VALUE_TYPE_ZH: Record<ValueType, string> = { string: '文字', integer: '整数', number: '数字', boolean: '布尔值（是或否）', object: '对象', array: '列表' };

/** A range in Chinese: 须在1到100之间, 最多64个字符, 至少要有2项. */
function rangeZh({ measure, lower, upper }: Extract<Fault, { kind: 'range' }>): string {
  if (measure === 'value') return lower !== undefined && upper !== undefined ? `须在${lower}到${upper}之间` : lower !== undefined ? `不能小于${lower}` : `不能大于${upper}`;
  const unit = measure === 'length' ? '个字符' : '项';
  if (lower !== undefined && upper !== undefined) return `须有${lower}到${upper}${unit}`;
  return lower !== undefined ? `至少要有${lower}${unit}` : `最多${upper}${unit}`;
}

/** The Chinese of a refused field of the schema. */
export function faultZh({ fault, constraint, reason, property }: FieldFault): string {
  const each = fault.each ? '每一项都' : '';
  switch (fault.kind) {
    case 'required':
      return '必须填写，不能缺少';
    case 'empty':
      return '不能为空';
    case 'unknown':
      return `不认识的设置项“${property}”，请删除`;
    case 'type':
      return `${each}须为${VALUE_TYPE_ZH[fault.type]}`;
    case 'range':
      return `${each}${rangeZh(fault)}`;
    default:
      return FORMAT_ZH[constraint] ? `${each}${FORMAT_ZH[constraint]!(reason)}` : `不符合要求（“${constraint}”）`;
  }
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

/** The schema's refusals: one true reason per field (as the API gives a DTO's), in both languages. */
const schemaFindings = (errors: ValidationError[]): LintIssue[] => fieldFaults(errors).map((f) => say(f.field, f.reason, faultZh(f)));

/** Schema validation, then the structural checks a schema cannot express, then every path walked. */
export function lintChainDefinition(raw: unknown, directory?: LintDirectory): LintResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { valid: false, errors: [say('', 'a chain definition must be a JSON object', '审批链定义须为一个 JSON 对象')], warnings: [] };
  }
  const bytes = Buffer.byteLength(JSON.stringify(raw), 'utf8');
  if (bytes > CHAIN_LIMITS.definitionBytes) {
    const max = CHAIN_LIMITS.definitionBytes / 1024;
    const size = Math.ceil(bytes / 1024);
    return { valid: false, errors: [say('', `a chain definition is at most ${max} KB of JSON, this one is ${size} KB`, `审批链定义的 JSON 最大${max}千字节，这份有${size}千字节`)], warnings: [] };
  }
  const definition = plainToInstance(ChainDefinition, raw);
  const errors = schemaFindings(validateSync(definition, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }));
  if (errors.length) return { valid: false, errors, warnings: [] };
  const warnings: LintIssue[] = [];
  const index = new Map<string, number>();
  definition.steps.forEach((s, i) => {
    if (index.has(s.key)) errors.push(say(`steps[${i}].key`, `duplicate step key "${s.key}"`, `重复的环节标识“${s.key}”`));
    else index.set(s.key, i);
  });
  const fields = new Map<string, FieldSpec>();
  (definition.fields ?? []).forEach((f, i) => {
    if (fields.has(f.key)) errors.push(say(`fields[${i}].key`, `duplicate field "${f.key}"`, `重复的字段“${f.key}”`));
    fields.set(f.key, f);
  });
  const milestoneKeys = new Set<string>();
  (definition.milestones ?? []).forEach((m, i) => {
    if (milestoneKeys.has(m.key)) errors.push(say(`milestones[${i}].key`, `duplicate milestone "${m.key}"`, `重复的时间节点“${m.key}”`));
    milestoneKeys.add(m.key);
    if (!index.has(m.step)) errors.push(say(`milestones[${i}].step`, `no step "${m.step}"`, `没有名为“${m.step}”的环节`));
  });
  if (!index.has(definition.initial)) errors.push(say('initial', `no step "${definition.initial}"`, `没有名为“${definition.initial}”的环节`));
  definition.steps.forEach((s, i) => {
    errors.push(...checkSigners(s, `steps[${i}]`, directory));
    errors.push(...checkTransitions(s, i, index, directory));
    if (s.when) {
      errors.push(...checkCondition(s.when, `steps[${i}].when`, fields));
      if (s.key === definition.initial) errors.push(say(`steps[${i}].when`, 'the initial step always runs', '起始环节总会运行，不能附加条件'));
      if (!forwardOf(definition, s)) errors.push(say(`steps[${i}].when`, 'a conditional step needs a transition to a later step, to pass on to when it does not apply', '有条件的环节须有一个通往后续环节的流转，条件不成立时由此跳过'));
    }
    errors.push(...checkTimers(s, i, directory));
  });
  if (!errors.length) {
    if (!definition.steps.some((s) => s.final)) errors.push(say('steps', 'the chain has no final step', '审批链没有终结环节'));
    // The walk needs the routing only: compiling the XState machine is left to the chain's first document.
    const walk = walkChain({ definition, routing: new Routing(definition) });
    // A walk of some combinations only cannot prove a step unreachable or stuck: it says so as a warning.
    const found = walk.truncated ? warnings : errors;
    if (walk.truncated) warnings.push(say('fields', `conditions combine more field values than the ${walk.variants} walked: paths through the others are not checked`, `条件涉及的字段取值组合超过已检查的${walk.variants}种，其余组合下的流转路径未经检查`));
    definition.steps.forEach((s, i) => {
      if (!walk.reached.has(s.key)) {
        found.push(walk.truncated
          ? say(`steps[${i}]`, `unreachable step "${s.key}" in the combinations of field values walked`, `在已检查的字段取值组合中，无法到达环节“${s.key}”`)
          : say(`steps[${i}]`, `unreachable step "${s.key}"`, `无法到达环节“${s.key}”`));
      } else if (walk.stuck.has(s.key) && definition.steps.some((x) => x.final)) {
        found.push(say(`steps[${i}]`, `no way on from "${s.key}" to a final step (a cycle without exit)`, `从环节“${s.key}”无法到达终结环节（流转成环，没有出口）`));
      }
    });
    definition.steps.forEach((s, i) => {
      if (declaredSigners(s).length && !s.deadline) warnings.push(say(`steps[${i}].deadline`, `step "${s.key}" has no deadline`, `环节“${s.key}”没有办理期限`));
      warnings.push(...relaxedSeparation(s, i), ...checkStaffing(s, i, directory));
    });
  }
  return errors.length ? { valid: false, errors, warnings } : { valid: true, errors, warnings, definition };
}

function checkSigners(s: StepDefinition, at: string, directory: LintDirectory | undefined): LintIssue[] {
  const errors: LintIssue[] = [];
  if (s.assignee && s.assignees) errors.push(say(`${at}.assignees`, 'give either assignee or assignees, not both', '“assignee”与“assignees”只能二选一'));
  if (s.assignee) errors.push(...checkRole(s.assignee.role, s.assignee.department, `${at}.assignee.role`, directory));
  (s.assignees ?? []).forEach((a, k) => {
    const path = `${at}.assignees[${k}]`;
    if (!!a.role === !!a.userId) errors.push(say(`${path}.role`, 'give a role or a userId', '每个办理人须给出角色或用户（二选一）'));
    else if (a.userId && a.department) errors.push(say(`${path}.department`, 'a named user is not resolved by department', '指定了用户的办理人不按部门确定，不能再给部门'));
    else if (a.userId && s.assignees!.findIndex((x) => x.userId === a.userId) < k) errors.push(say(`${path}.userId`, 'this user already signs the step: one person holds one seat', '该用户已是本环节的办理人：一人只能占一个席位'));
    else if (a.userId && directory && !directory.userExists(a.userId)) errors.push(say(`${path}.userId`, `no user ${a.userId}`, `没有编号为“${a.userId}”的用户`));
    else if (a.role) errors.push(...checkRole(a.role, a.department ?? 'document', `${path}.role`, directory));
  });
  const count = s.assignees?.length ?? (s.assignee ? 1 : 0);
  if ((s.signing || s.threshold) && !s.assignees) errors.push(say(`${at}.assignees`, 'signing and threshold apply to assignees', '会签方式和通过人数只适用于多个办理人（“assignees”）'));
  if (s.threshold !== undefined && (s.signing ?? 'all') !== 'all') errors.push(say(`${at}.threshold`, 'a threshold applies to signing "all" (会签)', '通过人数只适用于会签（“all”）'));
  // signing.ts would clamp it; refused here, since each approval must come from a different person.
  if (s.threshold !== undefined && s.threshold > count) errors.push(say(`${at}.threshold`, `more approvals than the ${count} signers: each approval needs a different person`, `通过人数多于${count}个办理人：每个通过须由不同的人作出`));
  if (s.final && count) errors.push(say(`${at}.assignees`, 'a final step has no signers', '终结环节不能有办理人'));
  return errors;
}

function relaxedSeparation(s: StepDefinition, i: number): LintIssue[] {
  if (!s.allowSameDeciderAcrossSteps) return [];
  return [say(`steps[${i}].allowSameDeciderAcrossSteps`, `step "${s.key}" relaxes separation of duties (不相容职务分离): whoever decided another review step of the document may decide this one`, `环节“${s.key}”放宽了不相容职务分离：办理过本文稿其他审核环节的人也可以办理本环节`)];
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
        warnings.push(say(`steps[${i}]`, `department ${dept.departmentId} has ${people} ${people === 1 ? 'person' : 'people'} who can decide "${s.key}" under separation of duties, it needs ${needed}`, `按不相容职务分离，部门“${dept.departmentId}”只有${people}人可以办理环节“${s.key}”，需要${needed}人`));
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
  return [where === 'office'
    ? say(path, `no user holds "${role}" in any rule-of-law office`, `没有人在任何法治建设办中担任“${roleZh(role)}”角色`)
    : say(path, `no user holds "${role}" in any department`, `没有人在任何部门中担任“${roleZh(role)}”角色`)];
}

function checkTransitions(s: StepDefinition, i: number, index: Map<string, number>, directory: LintDirectory | undefined): LintIssue[] {
  const errors: LintIssue[] = [];
  const signed = declaredSigners(s).length > 0;
  if (s.final && s.transitions.length) errors.push(say(`steps[${i}].transitions`, 'a final step has no transitions', '终结环节不能有流转'));
  if (!s.final && !s.transitions.some((t) => t.to)) errors.push(say(`steps[${i}]`, 'dead end: a step that is not final must lead somewhere', '死胡同：不是终结环节的环节须能流转到别的环节'));
  const actions = new Set<string>();
  s.transitions.forEach((t, j) => {
    const at = `steps[${i}].transitions[${j}]`;
    if (actions.has(t.action)) errors.push(say(`${at}.action`, `duplicate action "${t.action}" in step "${s.key}"`, `环节“${s.key}”中重复的操作“${t.action}”`));
    actions.add(t.action);
    if (RESERVED_ACTIONS.has(t.action)) errors.push(say(`${at}.action`, `"${t.action}" is a built-in action`, `“${t.action}”是系统内置的操作，不能在审批链中定义`));
    if (t.to !== undefined && !index.has(t.to)) errors.push(say(`${at}.to`, `no step "${t.to}"`, `没有名为“${t.to}”的环节`));
    if (!t.by && !signed) errors.push(say(`${at}.by`, 'a decision needs an assignee on its step, or name who acts in "by"', '办理决定须由环节的办理人作出，或在“by”中指明由谁操作'));
    if (t.by) errors.push(...checkRole(t.by.role, t.by.department, `${at}.by.role`, directory));
    if (t.action === 'return' && t.to && (index.get(t.to) ?? -1) >= i) errors.push(say(`${at}.to`, `a return goes to an earlier step, not "${t.to}"`, `退回只能回到之前的环节，不能回到“${t.to}”`));
    (t.returnTo ?? []).forEach((r, k) => {
      const target = index.get(r);
      if (target === undefined) errors.push(say(`${at}.returnTo[${k}]`, `no step "${r}"`, `没有名为“${r}”的环节`));
      else if (target >= i) errors.push(say(`${at}.returnTo[${k}]`, `"${r}" is not an earlier step`, `“${r}”不是之前的环节，不能退回到那里`));
    });
    if (t.returnTo && !t.to) errors.push(say(`${at}.to`, 'a transition with returnTo names its default target in "to"', '给出了可退回的环节（“returnTo”）的流转，须在“to”中指明默认退回的环节'));
    if (t.returnTo && t.to && !t.returnTo.includes(t.to)) errors.push(say(`${at}.returnTo`, `must include the default target "${t.to}"`, `可退回的环节须包括默认退回的环节“${t.to}”`));
  });
  return errors;
}

/** Events the engine itself gives every step (see the compiler): a chain cannot redefine them. */
const RESERVED_ACTIONS = new Set<string>([...BUILT_IN_EVENTS, 'create', 'migrate', 'migrate-forced', 'urge', 'copy-to']);

function checkCondition(c: Condition, path: string, fields: Map<string, FieldSpec>, depth = 1): LintIssue[] {
  const forms = [c.field !== undefined, c.all !== undefined, c.any !== undefined].filter(Boolean).length;
  if (forms !== 1) return [say(path, 'give exactly one of field, all, any', '条件须恰好给出“field”“all”“any”中的一项')];
  if ((c.all || c.any) && depth >= CHAIN_LIMITS.conditionDepth) return [say(path, `conditions nest at most ${CHAIN_LIMITS.conditionDepth} levels deep`, `条件最多嵌套${CHAIN_LIMITS.conditionDepth}层`)];
  if (c.all) return c.all.flatMap((x, k) => checkCondition(x, `${path}.all[${k}]`, fields, depth + 1));
  if (c.any) return c.any.flatMap((x, k) => checkCondition(x, `${path}.any[${k}]`, fields, depth + 1));
  const spec = fields.get(c.field!);
  if (!spec) return [say(`${path}.field`, `the chain declares no field "${c.field}"`, `审批链没有声明字段“${c.field}”`)];
  const op = c.op ?? 'eq';
  const ok =
    op === 'exists'
      ? c.value === undefined || typeof c.value === 'boolean'
      : op === 'in'
        ? Array.isArray(c.value) && c.value.length > 0 && c.value.every((v) => typeof v === spec.type)
        : ['gt', 'gte', 'lt', 'lte'].includes(op)
          ? spec.type === 'number' && typeof c.value === 'number'
          : typeof c.value === spec.type;
  if (ok) return [];
  const needs = op === 'in' ? { en: `a list of ${spec.type}s`, zh: `由${TYPE_ZH[spec.type]}组成的列表` }
    : op === 'exists' ? { en: 'true, false or nothing', zh: '“true”、“false”或不给' }
      : op.startsWith('g') || op.startsWith('l') ? { en: 'a number', zh: TYPE_ZH.number! } : { en: `a ${spec.type}`, zh: TYPE_ZH[spec.type]! };
  return [say(`${path}.value`, `"${op}" on ${spec.type} field "${spec.key}" needs ${needs.en}`, `对${FIELD_TYPE_ZH[spec.type]}字段“${spec.key}”用“${op}”比较，须给出${needs.zh}`)];
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
    if (given.length > 1 || (!optional && given.length === 0)) errors.push(say(path, `give exactly one of ${units.join(', ')}`, `须在${units.map((u) => UNIT_ZH[u]).join('、')}中恰好给出一项`));
  }
  const signers = declaredSigners(s);
  if ((s.reminders?.length || s.escalation) && !s.deadline) errors.push(say(`steps[${i}].deadline`, 'reminders and escalation need a deadline', '提醒和逾期上报须先设定办理期限'));
  if ((s.deadline || s.reminders?.length || s.escalation) && !signers.length) errors.push(say(`steps[${i}].assignee`, 'timers run on a step with an assignee', '期限、提醒和逾期上报只适用于有办理人的环节'));
  if (s.escalation) errors.push(...checkRole(s.escalation.to.role, s.escalation.to.department, `steps[${i}].escalation.to.role`, directory));
  const then = s.escalation?.then;
  if (then && signers.length > 1) {
    errors.push(say(`steps[${i}].escalation.then`, 'an automatic decision needs a step with one signer', '自动办理只适用于只有一个办理人的环节'));
  } else if (then && !s.transitions.some((t) => t.action === then.action && !t.by)) {
    errors.push(say(`steps[${i}].escalation.then.action`, `"${then.action}" is not a decision of step "${s.key}"`, `“${then.action}”不是环节“${s.key}”的办理人可作的决定`));
  } else if (then && s.transitions.find((t) => t.action === then.action)?.commentRequired && !then.comment) {
    errors.push(say(`steps[${i}].escalation.then.comment`, `"${then.action}" needs a comment`, `“${then.action}”须附意见`));
  }
  return errors;
}
