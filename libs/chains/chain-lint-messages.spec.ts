import { readFileSync } from 'node:fs';
import type { Role } from '@shenpi/domain';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { FORMAT_ZH, lintChainDefinition, type LintDirectory, type LintIssue } from './chain-lint.js';

/*
 * Every finding of the lint is said in both languages at its source: `message.en` is the English
 * `reason` API clients read, `message.zh` real Chinese. Crafted bad definitions reach every place in
 * chain-lint.ts that makes a finding (counted in its source) and every schema constraint the
 * definition's schema uses.
 *
 * The annual-report chain's steps: 0 draft · 1 legal-review · 2 party-group-review · 3 office-review · 4 awaiting-disclosure · 5 disclosed
 */
const base = () => JSON.parse(JSON.stringify(annualReportChain));
const ALICE = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const field = (key: string, type: string) => ({ key, name: { zh: key, en: key }, type });
const withFields = (d: any) => (d.fields = [field('needsParty', 'boolean'), field('kind', 'string'), field('pages', 'number')]);
const conditional = (d: any, when: unknown) => (withFields(d), (d.steps[2].when = when));
const signers = (d: any, assignees: unknown[], extra: Record<string, unknown> = {}) => (delete d.steps[1].assignee, Object.assign(d.steps[1], { assignees, ...extra }));
const two = [{ role: 'legal-counsel', department: 'document' }, { role: 'leader', department: 'document' }];
const nobodyHolds = (role: Role, where?: 'document' | 'office'): LintDirectory => ({ roleHeld: (r, w) => !(r === role && (!where || w === where)), userExists: () => true });
const knows = (...ids: string[]): LintDirectory => ({ roleHeld: () => true, userExists: (id) => ids.includes(id) });
const understaffed: LintDirectory = { roleHeld: () => true, userExists: () => true, staff: () => [{ departmentId: 'small', holders: { 'legal-counsel': ['c1'] } }] };
/** Seven boolean fields in one condition: more combinations than the walk takes (3^7 > 729). */
const manyFields = (d: any) => {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  d.fields = keys.map((k) => field(k, 'boolean'));
  d.steps[2].when = { all: keys.map((k) => ({ field: k, value: true })) };
};
const orphan = (d: any) => d.steps.splice(5, 0, { key: 'limbo', name: { zh: '无', en: 'none' }, transitions: [{ action: 'go', to: 'disclosed', by: { role: 'admin', department: 'document' } }] });

type Breaker = [(d: any) => unknown, LintDirectory?];
/** A breaker that returns this lints what it names instead of the definition it was given. */
class Instead { constructor(readonly raw: unknown) {} }
const BROKEN: Breaker[] = [
  // Schema, one per constraint the definition's schema uses, and a missing field
  [(d) => delete d.steps[1].name],
  [(d) => (d.steps[1].assignee.role = 'janitor')],
  [(d) => (d.steps[1].threshold = 1.5)],
  [(d) => (signers(d, two), (d.steps[1].threshold = 0))],
  [(d) => (signers(d, two), (d.steps[1].threshold = 101))],
  [(d) => (d.steps[3].key = 'o'.repeat(65))],
  [(d) => d.steps.splice(1)],
  [(d) => (d.fields = Array.from({ length: 21 }, (_, i) => field(`f${i}`, 'boolean')))],
  [(d) => (d.steps[2].transitions[1].returnTo = ['draft', 'draft'])],
  [(d) => (d.steps[1].transitions = 'approve')],
  [(d) => (d.steps[1].final = 'yes')],
  [(d) => (d.steps[1].name = { zh: 3, en: 'x' })],
  [(d) => signers(d, [{ userId: 'alice' }])],
  [(d) => (d.steps[1].name = 'legal review')],
  [(d) => (d.steps[0].colour = 'red')],
  [(d) => (d.steps[1].key = 'Legal Review')],
  [(d) => (d.fields = [field('needs-party', 'boolean')])],
  [(d) => (d.steps[1].transitions[0].requires = { sections: [{ key: 'basis', name: { zh: '依据', en: 'Basis' }, keywords: [3] }] })],
  // Not an object, too large
  [() => new Instead([])],
  [(d) => (d.name.en = 'x'.repeat(256 * 1024))],
  // Steps, fields, milestones
  [(d) => (d.steps[2].key = 'legal-review')],
  [(d) => (d.fields = [field('pages', 'number'), field('pages', 'string')])],
  [(d) => (d.milestones[1].key = d.milestones[0].key)],
  [(d) => (d.milestones[1].step = 'published')],
  [(d) => (d.initial = 'start')],
  // Transitions
  [(d) => (d.steps[0].transitions[0].to = 'nowhere')],
  [(d) => (d.steps[2].transitions[1].returnTo = ['draft', 'office-review'])],
  [(d) => (d.steps[2].transitions[1].returnTo = ['draft', 'limbo'])],
  [(d) => (d.steps[2].transitions[1].returnTo = ['legal-review'])],
  [(d) => (d.steps[2].transitions[1] = { action: 'return', returnTo: ['draft'], commentRequired: true })],
  [(d) => (d.steps[1].transitions[1].to = 'party-group-review')],
  [(d) => delete d.steps[1].assignee],
  [(d) => (d.steps[4].transitions = [])],
  [(d) => (d.steps[5].transitions = [{ action: 'reopen', to: 'draft', by: { role: 'drafter', department: 'document' } }])],
  [(d) => d.steps[1].transitions.push({ action: 'approve', to: 'draft' })],
  [(d) => (d.steps[1].transitions[2].action = 'delegate')],
  // Signers
  [(d) => (d.steps[1].assignees = two)],
  [(d) => signers(d, [two[0], { role: 'leader', userId: ALICE }])],
  [(d) => signers(d, [{ userId: ALICE, department: 'office' }])],
  [(d) => signers(d, [{ userId: ALICE }, { userId: ALICE }])],
  [(d) => signers(d, two, { threshold: 3 })],
  [(d) => signers(d, two, { signing: 'any', threshold: 1 })],
  [(d) => (d.steps[1].signing = 'any')],
  [(d) => (d.steps[5].assignee = { role: 'leader', department: 'document' })],
  // Who exists
  [(d) => signers(d, [{ userId: ALICE }]), knows()],
  [() => undefined, nobodyHolds('legal-counsel')],
  [() => undefined, nobodyHolds('rule-of-law-office', 'office')],
  // Conditions
  [(d) => conditional(d, { field: 'colour', value: 'red' })],
  [(d) => conditional(d, { field: 'needsParty', value: 'yes' })],
  [(d) => conditional(d, { field: 'kind', op: 'gt', value: 'a' })],
  [(d) => conditional(d, { field: 'kind', op: 'in', value: 'county' })],
  [(d) => conditional(d, { field: 'kind', op: 'exists', value: 'county' })],
  [(d) => conditional(d, {})],
  [(d) => conditional(d, { all: [{ any: [{ all: [{ any: [{ all: [{ field: 'needsParty', value: true }] }] }] }] }] })],
  [(d) => (withFields(d), (d.steps[0].when = { field: 'needsParty', value: true }))],
  [(d) => (conditional(d, { field: 'needsParty', value: true }), (d.steps[2].transitions = [d.steps[2].transitions[1]]))],
  // Timers
  [(d) => (d.steps[1].deadline = { workingDays: 5, seconds: 60 })],
  [(d) => (d.steps[1].escalation.afterSeconds = 60)],
  [(d) => (delete d.steps[1].deadline, delete d.steps[1].escalation)],
  [(d) => (d.steps[4].deadline = { workingDays: 5 })],
  [(d) => (signers(d, two), (d.steps[1].escalation.then = { action: 'approve', afterWorkingDays: 1 }))],
  [(d) => (d.steps[1].escalation.then = { action: 'reject', afterWorkingDays: 1 })],
  [(d) => (d.steps[1].escalation.then = { action: 'return', afterWorkingDays: 1 })],
  // The walk, and the warnings
  [(d) => Object.assign(d.steps[5], { final: false, transitions: [{ action: 'reopen', to: 'draft', by: { role: 'drafter', department: 'document' } }] })],
  [orphan],
  [(d) => (manyFields(d), orphan(d))],
  [(d) => ((d.steps[0].transitions.push({ action: 'fast-track', to: 'office-review', by: { role: 'drafter', department: 'document' } }), (d.steps[1].transitions = [{ action: 'approve', to: 'party-group-review' }])), (d.steps[2].transitions = [{ action: 'return', to: 'legal-review', commentRequired: true }]))],
  [(d) => delete d.steps[1].deadline && delete d.steps[1].reminders && delete d.steps[1].escalation],
  [(d) => (d.steps[2].allowSameDeciderAcrossSteps = true)],
  [(d) => signers(d, [two[0], two[0]]), understaffed],
];

const findings: LintIssue[] = BROKEN.flatMap(([breakIt, directory]) => {
  const d = base();
  const other = breakIt(d);
  const result = lintChainDefinition(other instanceof Instead ? other.raw : d, directory);
  return [...result.errors, ...result.warnings];
});

/** The English of each place in chain-lint.ts that says a finding, as a pattern (its `${…}` matching anything). */
function findingSites(): { source: string; pattern: RegExp }[] {
  const source = readFileSync(new URL('./chain-lint.ts', import.meta.url), 'utf8');
  const calls = [...source.matchAll(/\bsay\((?:'[^']*'|`[^`]*`|[\w.]+), ('[^']*'|`[^`]*`|\w+),/g)];
  // The schema's findings say a reason made elsewhere (fieldFaults): checked by kind below.
  return calls.filter(([, en]) => /^['`]/.test(en!)).map(([, en]) => ({
    source: en!,
    pattern: new RegExp(`^${en!.slice(1, -1).split(/\$\{[^}]*\}/).map((part) => part.replace(/[.*+?^$()[\]{}|\\]/g, '\\$&')).join('.+?')}$`),
  }));
}

/**
 * The English of each kind of schema refusal (one true reason per field, libs/domain/validation-reasons.ts),
 * and of each format the schema uses (class-validator's words or the schema's own).
 */
const SCHEMA_EN: Record<string, RegExp> = {
  required: /^\w+ is required$/,
  type: /must be (a string|an integer|a number|true or false|an object|an array)$/,
  range: /must (be|have) (between|at least|at most) /,
  unknown: /should not exist$/,
  isIn: /must be one of the following values/,
  arrayUnique: /elements must be unique$/,
  isUuid: /must be a UUID$/,
  matches: /must be (kebab|camel)Case/,
};
const FORMATS = ['isIn', 'arrayUnique', 'isUuid', 'matches'];

const CJK = /[\u3400-\u9fff]/;
/** What a Chinese message may keep in Latin letters: keys, values and codes in quotes, and the word JSON. */
const latinWords = (zh: string) => zh.replace(/“[^”]*”/g, '').replace(/JSON/g, '').match(/[A-Za-z]+/g) ?? [];

describe('chain lint findings in both languages', () => {
  it('reaches every place that says a finding (counted in the source), each in both languages', () => {
    const sites = findingSites();
    expect(sites.length).toBeGreaterThanOrEqual(48);
    const unreached = sites.filter(({ pattern }) => !findings.some((f) => pattern.test(f.reason))).map(({ source }) => source);
    expect(unreached).toEqual([]);
  });

  it('reaches every kind of schema refusal and every format the schema uses, and has Chinese for each format', () => {
    expect(Object.keys(FORMAT_ZH).sort()).toEqual([...FORMATS].sort());
    const unreached = Object.entries(SCHEMA_EN).filter(([, en]) => !findings.some((f) => en.test(f.reason))).map(([name]) => name);
    expect(unreached).toEqual([]);
  });

  it('gives every finding a Chinese zh (no English words but quoted keys) and an English en equal to reason', () => {
    expect(findings.length).toBeGreaterThan(70);
    const bad = findings.filter((f) => !CJK.test(f.message.zh) || latinWords(f.message.zh).length > 0 || f.message.en !== f.reason);
    expect(bad).toEqual([]);
  });

  it('says the commonest findings in the words an administrator knows', () => {
    const zhOf = (breakIt: (d: any) => unknown, path: string) => {
      const d = base();
      breakIt(d);
      return lintChainDefinition(d).errors.find((e) => e.path === path)?.message;
    };
    expect(zhOf((d) => (d.steps[2].key = 'legal-review'), 'steps[2].key')).toEqual({ zh: '重复的环节标识“legal-review”', en: 'duplicate step key "legal-review"' });
    expect(zhOf((d) => (d.steps[0].transitions[0].to = 'nowhere'), 'steps[0].transitions[0].to')).toEqual({ zh: '没有名为“nowhere”的环节', en: 'no step "nowhere"' });
    expect(zhOf((d) => (d.steps[1].transitions[1].to = 'office-review'), 'steps[1].transitions[1].to')?.zh).toBe('退回只能回到之前的环节，不能回到“office-review”');
    expect(zhOf((d) => (d.steps[1].key = 'Legal Review'), 'steps[1].key')).toEqual({ zh: '须由小写字母、数字和单个短横线组成，以字母开头（如“legal-review”）', en: 'key must be kebab-case (a-z, 0-9, single dashes)' });
    expect(zhOf((d) => delete d.steps[1].name, 'steps[1].name')).toEqual({ zh: '必须填写，不能缺少', en: 'name is required' });
    expect(zhOf((d) => (d.steps[3].key = 'o'.repeat(65)), 'steps[3].key')).toEqual({ zh: '最多64个字符', en: 'key must be at most 64 characters long' });
    expect(zhOf((d) => (signers(d, two), (d.steps[1].threshold = 0)), 'steps[1].threshold')).toEqual({ zh: '须在1到100之间', en: 'threshold must be between 1 and 100' });
    expect(zhOf((d) => (d.steps[1].assignee.role = 'janitor'), 'steps[1].assignee.role')?.zh).toMatch(/^须为以下取值之一：“drafter”、“legal-counsel”/);
  });
});
