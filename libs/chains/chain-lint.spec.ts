import type { Role } from '@shenpi/domain';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { lintChainDefinition, type DepartmentStaff, type LintDirectory, type LintIssue } from './chain-lint.js';

/** Where and why in English (each finding also says it in both languages: chain-lint-messages.spec.ts). */
const said = (issues: LintIssue[]) => issues.map(({ path, reason }) => ({ path, reason }));

/*
 * The annual-report chain's steps, by index:
 *   0 draft · 1 legal-review · 2 party-group-review · 3 office-review · 4 awaiting-disclosure · 5 disclosed (final)
 */
const base = () => JSON.parse(JSON.stringify(annualReportChain));

const ALICE = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const BOB = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';

const field = (key: string, type: 'boolean' | 'string' | 'number') => ({ key, name: { zh: key, en: key }, type });
/** The chain declares a boolean `needsParty`, a string `kind` and a number `pages`. */
const withFields = (d: any) => (d.fields = [field('needsParty', 'boolean'), field('kind', 'string'), field('pages', 'number')]);
/** party-group-review (steps[2]) runs only when `when` holds. */
const conditional = (d: any, when: unknown) => {
  withFields(d);
  d.steps[2].when = when;
};
/** legal-review (steps[1]) signed by several signers instead of its one assignee. */
const signers = (d: any, assignees: unknown[], extra: Record<string, unknown> = {}) => {
  delete d.steps[1].assignee;
  Object.assign(d.steps[1], { assignees, ...extra });
};
const two = [
  { role: 'legal-counsel', department: 'document' },
  { role: 'leader', department: 'document' },
];

/** Everyone holds every role and exists, except `role` (in `where`, or anywhere). */
const nobodyHolds = (role: Role, where?: 'document' | 'office'): LintDirectory => ({
  roleHeld: (r, w) => !(r === role && (!where || w === where)),
  userExists: () => true,
});
/** Every role is held; only these users exist. */
const knows = (...ids: string[]): LintDirectory => ({ roleHeld: () => true, userExists: (id) => ids.includes(id) });

type Case = [string, (d: any) => void, string, RegExp, LintDirectory?];

/** Each broken definition is refused with the exact path of what is wrong. */
describe('chain lint', () => {
  const cases: Case[] = [
    // Schema
    ['unknown role', (d) => (d.steps[1].assignee.role = 'janitor'), 'steps[1].assignee.role', /must be one of/],
    ['unknown role among assignees', (d) => signers(d, [{ role: 'janitor' }]), 'steps[1].assignees[0].role', /must be one of/],
    ['unknown role in escalation.to', (d) => (d.steps[1].escalation.to.role = 'janitor'), 'steps[1].escalation.to.role', /must be one of/],
    ['unknown department', (d) => (d.steps[1].assignee.department = 'province'), 'steps[1].assignee.department', /must be one of/],
    ['userId on a single assignee', (d) => (d.steps[1].assignee.userId = ALICE), 'steps[1].assignee.userId', /should not exist/],
    ['userId that is not a UUID', (d) => signers(d, [{ userId: 'alice' }]), 'steps[1].assignees[0].userId', /UUID/],
    ['unknown signing mode', (d) => signers(d, two, { signing: 'majority' }), 'steps[1].signing', /must be one of/],
    ['threshold of zero', (d) => signers(d, two, { threshold: 0 }), 'steps[1].threshold', /^threshold must be between 1 and 100$/],
    ['unknown condition operator', (d) => conditional(d, { field: 'pages', op: 'like', value: 3 }), 'steps[2].when.op', /must be one of/],
    ['unknown field type', (d) => (d.fields = [{ ...field('pages', 'number'), type: 'date' }]), 'fields[0].type', /must be one of/],
    ['bad field key (not camelCase)', (d) => (d.fields = [field('needs-party', 'boolean')]), 'fields[0].key', /camelCase/],
    ['unknown property in a step', (d) => (d.steps[0].colour = 'red'), 'steps[0].colour', /should not exist/],
    ['unknown top-level property', (d) => (d.colour = 'red'), 'colour', /should not exist/],
    ['bad key', (d) => (d.key = 'Annual Report'), 'key', /kebab-case/],
    ['bad step key', (d) => (d.steps[3].key = 'Office_Review'), 'steps[3].key', /kebab-case/],
    ['a single step', (d) => d.steps.splice(1), 'steps', /^steps must have between 2 and 200 items$/],

    // Steps, fields, milestones
    ['duplicate step key', (d) => (d.steps[2].key = 'legal-review'), 'steps[2].key', /duplicate step key "legal-review"/],
    ['duplicate field key', (d) => (d.fields = [field('pages', 'number'), field('pages', 'string')]), 'fields[1].key', /duplicate field "pages"/],
    ['missing initial', (d) => (d.initial = 'start'), 'initial', /no step "start"/],
    ['milestone naming an unknown step', (d) => (d.milestones[1].step = 'published'), 'milestones[1].step', /no step "published"/],

    // Transitions
    ['unknown target', (d) => (d.steps[0].transitions[0].to = 'nowhere'), 'steps[0].transitions[0].to', /no step "nowhere"/],
    ['later return target', (d) => (d.steps[2].transitions[1].returnTo = ['draft', 'office-review']), 'steps[2].transitions[1].returnTo[1]', /not an earlier step/],
    ['unknown return target', (d) => (d.steps[2].transitions[1].returnTo = ['draft', 'limbo']), 'steps[2].transitions[1].returnTo[1]', /no step "limbo"/],
    ['returnTo without the default target', (d) => (d.steps[2].transitions[1].returnTo = ['legal-review']), 'steps[2].transitions[1].returnTo', /must include the default target "draft"/],
    ['return to a later step', (d) => (d.steps[1].transitions[1].to = 'party-group-review'), 'steps[1].transitions[1].to', /a return goes to an earlier step, not "party-group-review"/],
    ['return to its own step', (d) => (d.steps[1].transitions[1].to = 'legal-review'), 'steps[1].transitions[1].to', /a return goes to an earlier step, not "legal-review"/],
    ['decision without assignee', (d) => delete d.steps[1].assignee, 'steps[1].transitions[0].by', /needs an assignee/],
    ['dead end', (d) => (d.steps[4].transitions = []), 'steps[4]', /dead end/],
    ['final step with transitions', (d) => (d.steps[5].transitions = [{ action: 'reopen', to: 'draft', by: { role: 'drafter', department: 'document' } }]), 'steps[5].transitions', /final step has no transitions/],
    ['duplicate action', (d) => d.steps[1].transitions.push({ action: 'approve', to: 'draft' }), 'steps[1].transitions[3].action', /duplicate action "approve"/],
    ...(['edit', 'delegate', 'reassign', 'add-signer', 'attach', 'create', 'migrate'] as const).map(
      (action): Case => [`reserved action "${action}"`, (d) => (d.steps[1].transitions[2].action = action), 'steps[1].transitions[2].action', new RegExp(`"${action}" is a built-in action`)],
    ),

    // Signers
    ['assignee and assignees both', (d) => (d.steps[1].assignees = two), 'steps[1].assignees', /either assignee or assignees, not both/],
    ['a signer with both role and userId', (d) => signers(d, [two[0], { role: 'leader', userId: ALICE }]), 'steps[1].assignees[1].role', /give a role or a userId/],
    ['a signer with neither role nor userId', (d) => signers(d, [two[0], { department: 'document' }]), 'steps[1].assignees[1].role', /give a role or a userId/],
    ['a named user with a department', (d) => signers(d, [{ userId: ALICE, department: 'office' }]), 'steps[1].assignees[0].department', /not resolved by department/],
    ['threshold greater than the signers', (d) => signers(d, two, { threshold: 3 }), 'steps[1].threshold', /more approvals than the 2 signers/],
    ['threshold with signing "any"', (d) => signers(d, two, { signing: 'any', threshold: 1 }), 'steps[1].threshold', /applies to signing "all"/],
    ['threshold with signing "sequence"', (d) => signers(d, two, { signing: 'sequence', threshold: 2 }), 'steps[1].threshold', /applies to signing "all"/],
    ['signing without assignees', (d) => (d.steps[1].signing = 'any'), 'steps[1].assignees', /signing and threshold apply to assignees/],
    ['threshold without assignees', (d) => (d.steps[1].threshold = 1), 'steps[1].assignees', /signing and threshold apply to assignees/],
    ['a final step with signers', (d) => (d.steps[5].assignee = { role: 'leader', department: 'document' }), 'steps[5].assignees', /final step has no signers/],
    ['a final step with assignees', (d) => (d.steps[5].assignees = [{ userId: ALICE }]), 'steps[5].assignees', /final step has no signers/],

    // Who exists (with a directory)
    ['a named user unknown to the directory', (d) => signers(d, [{ userId: ALICE }, { userId: BOB }]), 'steps[1].assignees[1].userId', new RegExp(`no user ${BOB}`), knows(ALICE)],
    ['a role nobody holds, in assignee', () => undefined, 'steps[1].assignee.role', /no user holds "legal-counsel" in any department/, nobodyHolds('legal-counsel')],
    ['a role nobody holds in an office, in assignee', () => undefined, 'steps[3].assignee.role', /no user holds "rule-of-law-office" in any rule-of-law office/, nobodyHolds('rule-of-law-office', 'office')],
    ['a role nobody holds, in assignees', (d) => signers(d, [two[0], { role: 'supervisor' }]), 'steps[1].assignees[1].role', /no user holds "supervisor" in any department/, nobodyHolds('supervisor')],
    ['a role nobody holds, in by', () => undefined, 'steps[0].transitions[0].by.role', /no user holds "drafter" in any department/, nobodyHolds('drafter')],
    ['a role nobody holds, in escalation.to', (d) => (d.steps[1].escalation.to.role = 'supervisor'), 'steps[1].escalation.to.role', /no user holds "supervisor" in any department/, nobodyHolds('supervisor')],

    // Conditions
    ['condition on an unknown field', (d) => conditional(d, { field: 'colour', value: 'red' }), 'steps[2].when.field', /declares no field "colour"/],
    ['condition on an unknown field, nested', (d) => conditional(d, { any: [{ field: 'needsParty', value: true }, { all: [{ field: 'colour', value: 'red' }] }] }), 'steps[2].when.any[1].all[0].field', /declares no field "colour"/],
    ['condition value of the wrong type', (d) => conditional(d, { field: 'needsParty', value: 'yes' }), 'steps[2].when.value', /on boolean field "needsParty" needs a boolean/],
    ['comparison on a string field', (d) => conditional(d, { field: 'kind', op: 'gt', value: 'a' }), 'steps[2].when.value', /"gt" on string field "kind" needs a number/],
    ['"in" without a list', (d) => conditional(d, { field: 'kind', op: 'in', value: 'county' }), 'steps[2].when.value', /needs a list of strings/],
    ['"in" with a value of the wrong type', (d) => conditional(d, { field: 'pages', op: 'in', value: [1, '2'] }), 'steps[2].when.value', /needs a list of numbers/],
    ['"exists" with a value', (d) => conditional(d, { field: 'kind', op: 'exists', value: 'county' }), 'steps[2].when.value', /needs true, false or nothing/],
    ['a condition with both field and all', (d) => conditional(d, { field: 'needsParty', value: true, all: [{ field: 'needsParty', value: true }] }), 'steps[2].when', /exactly one of field, all, any/],
    ['an empty condition', (d) => conditional(d, {}), 'steps[2].when', /exactly one of field, all, any/],
    ['when on the initial step', (d) => (withFields(d), (d.steps[0].when = { field: 'needsParty', value: true })), 'steps[0].when', /initial step always runs/],
    ['conditional step with no forward transition', (d) => (conditional(d, { field: 'needsParty', value: true }), (d.steps[2].transitions = [d.steps[2].transitions[1]])), 'steps[2].when', /needs a transition to a later step/],

    // Timers
    ['deadline with two units', (d) => (d.steps[1].deadline = { workingDays: 5, seconds: 60 }), 'steps[1].deadline', /give exactly one of workingDays, calendarDays, before, seconds/],
    ['deadline with no unit', (d) => (d.steps[1].deadline = {}), 'steps[1].deadline', /give exactly one of workingDays/],
    ['reminder with two units', (d) => (d.steps[1].reminders[1] = { workingDaysBefore: 0, secondsBefore: 30 }), 'steps[1].reminders[1]', /give exactly one of workingDaysBefore, secondsBefore/],
    ['escalation with two units', (d) => (d.steps[1].escalation.afterSeconds = 60), 'steps[1].escalation', /give exactly one of afterWorkingDays, afterSeconds/],
    ['escalation.then with two units', (d) => (d.steps[1].escalation.then = { action: 'approve', afterWorkingDays: 1, afterSeconds: 60 }), 'steps[1].escalation.then', /give exactly one of afterWorkingDays, afterSeconds/],
    ['reminders without deadline', (d) => (delete d.steps[1].deadline, delete d.steps[1].escalation), 'steps[1].deadline', /reminders and escalation need a deadline/],
    ['escalation without deadline', (d) => (delete d.steps[1].deadline, delete d.steps[1].reminders), 'steps[1].deadline', /reminders and escalation need a deadline/],
    ['deadline on a step nobody signs', (d) => (d.steps[4].deadline = { workingDays: 5 }), 'steps[4].assignee', /timers run on a step with an assignee/],
    ['escalation.then on a multi-signer step', (d) => (signers(d, two), (d.steps[1].escalation.then = { action: 'approve', afterWorkingDays: 1 })), 'steps[1].escalation.then', /needs a step with one signer/],
    ['escalation.then naming an action of "by"', (d) => (d.steps[1].escalation.then = { action: 'withdraw', afterWorkingDays: 1 }), 'steps[1].escalation.then.action', /"withdraw" is not a decision of step "legal-review"/],
    ['escalation.then naming no action of the step', (d) => (d.steps[1].escalation.then = { action: 'reject', afterWorkingDays: 1 }), 'steps[1].escalation.then.action', /"reject" is not a decision of step "legal-review"/],
    ['escalation.then without a required comment', (d) => (d.steps[1].escalation.then = { action: 'return', afterWorkingDays: 1 }), 'steps[1].escalation.then.comment', /"return" needs a comment/],

    // Hard limits: the lint's work stays bounded whatever an administrator (or a stolen token) sends
    ['more than 200 steps', (d) => d.steps.splice(5, 0, ...Array.from({ length: 196 }, (_, i) => ({ key: `extra-${i}`, name: { zh: 'x', en: 'x' }, transitions: [{ action: 'go', to: 'disclosed', by: { role: 'admin', department: 'document' } }] }))), 'steps', /^steps must have between 2 and 200 items$/],
    ['more than 100 seats in a step', (d) => signers(d, Array.from({ length: 101 }, () => two[0])), 'steps[1].assignees', /^assignees must have between 1 and 100 items$/],
    ['more than 20 fields', (d) => (d.fields = Array.from({ length: 21 }, (_, i) => field(`f${i}`, 'boolean'))), 'fields', /^fields must have at most 20 items$/],
    ['a chain key longer than 64 characters', (d) => (d.key = `a${'-b'.repeat(40)}`), 'key', /^key must be at most 64 characters long$/],
    ['a step key longer than 64 characters', (d) => (d.steps[3].key = 'o'.repeat(65)), 'steps[3].key', /^key must be at most 64 characters long$/],
    ['a field key longer than 64 characters', (d) => (d.fields = [field('f'.repeat(65), 'boolean')]), 'fields[0].key', /camelCase/],
    ['an action longer than 64 characters', (d) => (d.steps[1].transitions[2].action = 'x'.repeat(65)), 'steps[1].transitions[2].action', /^action must be at most 64 characters long$/],
    ['conditions nested 6 levels deep', (d) => conditional(d, { all: [{ any: [{ all: [{ any: [{ all: [{ field: 'needsParty', value: true }] }] }] }] }] }), 'steps[2].when.all[0].any[0].all[0].any[0]', /nest at most 5 levels deep/],
    ['a definition over 256 KB', (d) => (d.name.en = 'x'.repeat(256 * 1024)), '', /at most 256 KB of JSON, this one is 259 KB/],

    // Walking the chain
    ['a chain without a final step', (d) => Object.assign(d.steps[5], { final: false, transitions: [{ action: 'reopen', to: 'draft', by: { role: 'drafter', department: 'document' } }] }), 'steps', /no final step/],
    ['unreachable step', (d) => d.steps.splice(5, 0, { key: 'limbo', name: { zh: '无', en: 'none' }, transitions: [{ action: 'go', to: 'disclosed', by: { role: 'admin', department: 'document' } }] }), 'steps[5]', /unreachable step "limbo"/],
    ['cycle without exit', (d) => twoStepCycle(d), 'steps[2]', /no way on from "party-group-review" to a final step \(a cycle without exit\)/],
  ];

  it('has at least 30 kinds of bad definition', () => {
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  // Every row has the same length: with a shorter row, Jest would pass its `done` callback as the directory.
  const rows = cases.map(([name, breakIt, path, reason, directory]) => [name, breakIt, path, reason, directory ?? null] as const);
  it.each(rows)('refuses %s', (_, breakIt, path, reason, directory) => {
    const d = base();
    breakIt(d);
    const result = lintChainDefinition(d, directory ?? undefined);
    expect(result.valid).toBe(false);
    expect(result.definition).toBeUndefined();
    expect(said(result.errors)).toContainEqual({ path, reason: expect.stringMatching(reason) });
  });

  it('passes the unbroken base, with or without a directory', () => {
    expect(lintChainDefinition(base())).toMatchObject({ valid: true, errors: [] });
    expect(lintChainDefinition(base(), knows())).toMatchObject({ valid: true, errors: [] });
  });

  /**
   * legal-review and party-group-review only lead to each other; the final step is reachable
   * only through a fast track from the draft, which is therefore not stuck.
   */
  function twoStepCycle(d: any) {
    d.steps[0].transitions.push({ action: 'fast-track', to: 'office-review', by: { role: 'drafter', department: 'document' } });
    d.steps[1].transitions = [{ action: 'approve', to: 'party-group-review' }];
    d.steps[2].transitions = [{ action: 'return', to: 'legal-review', commentRequired: true }];
  }

  it('names exactly the steps of a cycle without exit', () => {
    const d = base();
    twoStepCycle(d);
    expect(said(lintChainDefinition(d).errors)).toEqual([
      { path: 'steps[1]', reason: 'no way on from "legal-review" to a final step (a cycle without exit)' },
      { path: 'steps[2]', reason: 'no way on from "party-group-review" to a final step (a cycle without exit)' },
    ]);
  });

  it('refuses what is not an object', () => {
    expect(said(lintChainDefinition([]).errors)).toEqual([{ path: '', reason: 'a chain definition must be a JSON object' }]);
    expect(said(lintChainDefinition(null).errors)).toEqual([{ path: '', reason: 'a chain definition must be a JSON object' }]);
  });

  /**
   * 会签 of three with a threshold of two (one of them a named user), a conditional 或签,
   * and 依次 in the office: every path can still reach the final step.
   */
  const signed = () => {
    const d = base();
    withFields(d);
    signers(d, [...two, { userId: ALICE }], { signing: 'all', threshold: 2 });
    Object.assign(d.steps[2], {
      when: { any: [{ field: 'needsParty', value: true }, { field: 'pages', op: 'gt', value: 20 }] },
      assignees: [{ role: 'party-secretary', department: 'document' }, { userId: BOB }],
      signing: 'any',
    });
    delete d.steps[2].assignee;
    delete d.steps[3].assignee;
    Object.assign(d.steps[3], {
      assignees: [
        { role: 'rule-of-law-office', department: 'office' },
        { role: 'supervisor', department: 'office' },
      ],
      signing: 'sequence',
    });
    return d;
  };

  it('passes a definition with 会签 + threshold, 或签, 依次, named users and a conditional step', () => {
    const result = lintChainDefinition(signed(), knows(ALICE, BOB));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.definition?.steps[1]).toMatchObject({ signing: 'all', threshold: 2 });
    expect(result.definition?.steps[2]).toMatchObject({ signing: 'any' });
    expect(result.definition?.steps[3]).toMatchObject({ signing: 'sequence' });
  });

  it('passes a single named user on a step whose escalation decides for them', () => {
    const d = base();
    signers(d, [{ userId: ALICE }]);
    d.steps[1].escalation.then = { action: 'approve', afterWorkingDays: 2 };
    expect(lintChainDefinition(d, knows(ALICE))).toMatchObject({ valid: true, errors: [] });
  });

  it('checks roles and users only against a directory: shipped chains are linted without one', () => {
    const nobody: LintDirectory = { roleHeld: () => false, userExists: () => false };
    expect(lintChainDefinition(base())).toMatchObject({ valid: true, errors: [] });
    expect(lintChainDefinition(signed())).toMatchObject({ valid: true, errors: [] });
    // The same definitions, against a directory where nobody holds anything: every role and user is refused.
    const refused = lintChainDefinition(signed(), nobody).errors.map((e) => e.path);
    expect(refused).toEqual(
      expect.arrayContaining([
        'steps[0].transitions[0].by.role',
        'steps[1].assignees[0].role',
        'steps[1].assignees[2].userId',
        'steps[1].escalation.to.role',
        'steps[2].assignees[1].userId',
        'steps[3].assignees[0].role',
        'steps[4].transitions[0].by.role',
      ]),
    );
  });
});

/** Findings of the first review of the lint, each a case that used to be accepted or refused wrongly. */
describe('chain lint: review findings', () => {
  const base = () => JSON.parse(JSON.stringify(annualReportChain));
  it('refuses a returnTo without its default target', () => {
    const d = base();
    d.steps[2].transitions[1] = { action: 'return', returnTo: ['draft', 'legal-review'], commentRequired: true };
    expect(said(lintChainDefinition(d).errors)).toContainEqual({ path: 'steps[2].transitions[1].to', reason: expect.stringMatching(/default target/) });
  });
  it('refuses the same user twice among a step\'s signers, and duplicate milestone keys', () => {
    const d = base();
    const user = '0191e4a0-0000-7000-8000-000000000001';
    d.steps[1].assignees = [{ userId: user }, { userId: user }];
    delete d.steps[1].assignee;
    d.milestones[1].key = d.milestones[0].key;
    const errors = said(lintChainDefinition(d).errors);
    expect(errors).toContainEqual({ path: 'steps[1].assignees[1].userId', reason: 'this user already signs the step: one person holds one seat' });
    expect(errors).toContainEqual({ path: 'milestones[1].key', reason: expect.stringMatching(/duplicate milestone/) });
  });
  it('walks a step conditioned on a string field existing, and four boolean fields at once', () => {
    const d = base();
    d.fields = [{ key: 'kind', name: { zh: '类型', en: 'Kind' }, type: 'string' }];
    d.steps[2].when = { field: 'kind', op: 'exists' };
    expect(lintChainDefinition(d).errors).toEqual([]);
    const e = base();
    e.fields = ['a', 'b', 'c', 'd'].map((key) => ({ key, name: { zh: key, en: key }, type: 'boolean' }));
    e.steps[2].when = { all: ['a', 'b', 'c', 'd'].map((field) => ({ field, op: 'eq', value: false })) };
    const lint = lintChainDefinition(e);
    expect(lint.errors).toEqual([]);
    expect(lint.warnings).toEqual([]);
  });
});

/** 不相容职务分离: what the lint can tell from the definition and the directory before any document runs. */
describe('chain lint: separation of duties', () => {
  const COUNSEL = ['c1', 'c2'];
  /** A directory where everyone exists and every role is held, with this staff per department. */
  const staffed = (document: DepartmentStaff[], office: DepartmentStaff[] = []): LintDirectory => ({
    roleHeld: () => true,
    userExists: () => true,
    staff: (where) => (where === 'office' ? office : document),
  });
  const dept = (departmentId: string, holders: DepartmentStaff['holders']): DepartmentStaff => ({ departmentId, holders });
  /** legal-review (steps[1]) signed by `assignees`; the staffing warnings on it. */
  const staffing = (directory: LintDirectory, assignees: unknown[], extra: Record<string, unknown> = {}) => {
    const d = base();
    signers(d, assignees, extra);
    const result = lintChainDefinition(d, directory);
    expect(result.errors).toEqual([]);
    return result.warnings.filter((w) => w.path === 'steps[1]').map((w) => w.reason);
  };
  const counsel = { role: 'legal-counsel', department: 'document' };

  it('warns on a step that lets whoever decided another review step decide it too', () => {
    const d = base();
    d.steps[2].allowSameDeciderAcrossSteps = true;
    const result = lintChainDefinition(d);
    expect(result.valid).toBe(true);
    expect(said(result.warnings)).toEqual([
      { path: 'steps[2].allowSameDeciderAcrossSteps', reason: expect.stringMatching(/"party-group-review" relaxes separation of duties.*another review step/) },
    ]);
  });

  it('refuses a step that needs more distinct people than it has seats: a threshold above them, one user in two seats', () => {
    const above = base();
    signers(above, two, { threshold: 3 });
    expect(lintChainDefinition(above)).toMatchObject({ valid: false, errors: [{ path: 'steps[1].threshold', reason: expect.stringMatching(/different person/) }] });
    const twice = base();
    signers(twice, [{ userId: ALICE }, two[0], { userId: ALICE }]);
    expect(lintChainDefinition(twice)).toMatchObject({ valid: false, errors: [{ path: 'steps[1].assignees[2].userId', reason: expect.stringMatching(/one person holds one seat/) }] });
  });

  it('warns, per department, when fewer people may decide a step than it needs', () => {
    const directory = staffed([dept('small', { 'legal-counsel': ['c1'] }), dept('large', { 'legal-counsel': COUNSEL })]);
    expect(staffing(directory, [counsel, counsel])).toEqual(['department small has 1 person who can decide "legal-review" under separation of duties, it needs 2']);
    expect(staffing(directory, [counsel, counsel, counsel], { threshold: 2 })).toEqual([expect.stringMatching(/department small has 1 person .* it needs 2$/)]);
    expect(staffing(directory, [counsel, counsel], { signing: 'sequence' })).toEqual([expect.stringMatching(/department small .* it needs 2$/)]);
    expect(staffing(directory, [counsel, counsel], { threshold: 1 })).toEqual([]);
    expect(staffing(directory, [counsel, counsel], { signing: 'any' })).toEqual([]);
  });

  it('counts a person once across the seat roles and named users, and one fewer where a holder also drafts', () => {
    const leader = { role: 'leader', department: 'document' };
    expect(staffing(staffed([dept('one', { 'legal-counsel': ['c1'], leader: ['c1'] })]), [counsel, leader])).toEqual([expect.stringMatching(/department one has 1 person .* it needs 2$/)]);
    expect(staffing(staffed([dept('two', { 'legal-counsel': ['c1'], leader: ['l1'] })]), [counsel, leader])).toEqual([]);
    expect(staffing(staffed([dept('named', { 'legal-counsel': [ALICE] })]), [counsel, { userId: ALICE }])).toEqual([expect.stringMatching(/department named has 1 person/)]);
    expect(staffing(staffed([dept('named', { 'legal-counsel': ['c1'] })]), [counsel, { userId: ALICE }])).toEqual([]);
    // c2 may be the author: the step cannot count on both counsels.
    expect(staffing(staffed([dept('drafts', { 'legal-counsel': COUNSEL, drafter: ['c2', 'd1'] })]), [counsel, counsel])).toEqual([expect.stringMatching(/department drafts has 1 person .* it needs 2$/)]);
    expect(staffing(staffed([dept('apart', { 'legal-counsel': COUNSEL, drafter: ['d1'] })]), [counsel, counsel])).toEqual([]);
  });

  it('checks office seats against the offices, and not a drafting seat at all', () => {
    const result = lintChainDefinition(base(), staffed([dept('city', { 'legal-counsel': ['c1'], 'party-secretary': ['p1'] })], [dept('office', {})]));
    expect(said(result.warnings)).toEqual([{ path: 'steps[3]', reason: 'department office has 0 people who can decide "office-review" under separation of duties, it needs 1' }]);
    const drafting = base();
    drafting.steps[1].assignee = { role: 'drafter', department: 'document' };
    const alone = lintChainDefinition(drafting, staffed([dept('city', { drafter: ['d1'], 'party-secretary': ['p1'] })], [dept('office', { 'rule-of-law-office': ['o1'] })]));
    expect(alone).toMatchObject({ valid: true, warnings: [] });
  });
});
