import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataStorage } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { ChainDefinition, lintChainDefinition } from '@shenpi/chains';
import { DomainError, type FieldError, type ValidationMetadata } from '@shenpi/domain';
import { shippedChains } from '@shenpi/workflows';
import { validationPipe } from './validation.js';

/**
 * Every DTO of the API and every class of a chain definition, found by their class-validator
 * decorators: for each property, what a caller hears when it is missing, of the wrong type, empty,
 * or out of range. One reason per field, naming the field and the constraint the value really
 * breaks (libs/domain/validation-reasons.ts); a chain definition's finding says it in Chinese too.
 */
const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const DECORATED = /^\s*@(Is[A-Z]\w*|Matches|Min|Max|MinLength|MaxLength|Array\w+|Validate\w*|Size)\(/m;

function dtoFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return dtoFiles(path);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) && DECORATED.test(readFileSync(join(ROOT, path), 'utf8')) ? [path] : [];
  });
}

const metadataOf = (cls: Function): ValidationMetadata[] => getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
const nameOf = (m: ValidationMetadata) => m.name ?? m.type;

/** Values that make a conditional field (ValidateIf) apply, so its "missing" case is asked. */
const CONTEXT: Record<string, Record<string, unknown>> = {
  DecisionDto: { decision: 'return' },
  BulkDecisionItemDto: { decision: 'return' },
  ClockOperationDto: { operation: 'request-extension' },
  DocumentActionDto: { action: 'record-disclosure' },
};

/** The words of each type constraint, as the API gives them in English, and as the chain lint says them in Chinese. */
const TYPE_WORDS: Record<string, [en: string, zh: string]> = {
  isString: ['must be a string', '文字'],
  isInt: ['must be an integer', '整数'],
  isBoolean: ['must be true or false', '布尔值（是或否）'],
  isObject: ['must be an object', '对象'],
  isArray: ['must be an array', '列表'],
  nestedValidation: ['must be an object', '对象'],
};

/** Any Chinese: what a finding in the class's own words (a format, a set of values) is checked for. */
const CJK = /[\u4e00-\u9fff]/;

/** A value of the wrong type for the constraint: in a query every value is a string, or an array when the parameter repeats. */
function wrongType(constraint: string | undefined, where: 'body' | 'query', min: number | undefined): unknown {
  if (where === 'query') return constraint === 'isInt' ? 'x' : ['a', 'b'];
  // A number in a string (`"year": "2031"`): right digits, wrong type.
  if (constraint === 'isInt') return String(min ?? 1);
  if (constraint === 'isBoolean') return 'true';
  if (constraint === 'isString') return 5;
  return constraint ? 'x' : 5;
}

/** A range in English, counting `noun`s when it measures a length or a size ("at least 1 item"). */
function range(lower: number | undefined, upper: number | undefined, noun?: string): string {
  const n = (k: number) => (noun ? `${k} ${noun}${k === 1 ? '' : 's'}` : String(k));
  return lower !== undefined && upper !== undefined ? `between ${lower} and ${n(upper)}` : lower !== undefined ? `at least ${n(lower)}` : `at most ${n(upper!)}`;
}

/** The same range in Chinese: of a value, of a length (`个字符`) or of a size (`项`). */
function rangeZh(lower: number | undefined, upper: number | undefined, unit?: string): string {
  if (!unit) return lower !== undefined && upper !== undefined ? `须在${lower}到${upper}之间` : lower !== undefined ? `不能小于${lower}` : `不能大于${upper}`;
  return lower !== undefined && upper !== undefined ? `须有${lower}到${upper}${unit}` : lower !== undefined ? `至少要有${lower}${unit}` : `最多${upper}${unit}`;
}

interface Case {
  dto: string;
  property: string;
  what: string;
  value: unknown;
  expected: string | RegExp;
  /** What the chain lint says in Chinese (a DTO of the API says English only). */
  zh: string | RegExp;
}

/**
 * The cases of one property of one class. `sample` is a valid value of it, if any: an array's items
 * too many or too few are copies of its smallest item, so that only their number is wrong.
 */
function casesOf(cls: Function, property: string, where: 'body' | 'query', sample?: unknown): Case[] {
  const all = metadataOf(cls).filter((m) => m.propertyName === property);
  // A property the class only lets through (IsOptional, Allow): nothing of it is refused.
  if (all.every((m) => m.type === 'conditionalValidation' || m.type === 'whitelistValidation')) return [];
  const find = (name: string) => all.find((m) => nameOf(m) === name);
  const each = (name: string) => find(name)?.each === true;
  const bound = (name: string) => find(name)?.constraints[0] as number | undefined;
  const own = (name: string) => (find(name) && find(name)!.type !== 'nestedValidation' && typeof find(name)!.message === 'string' ? (find(name)!.message as string) : undefined);
  const context = CONTEXT[cls.name] ?? {};
  const cases: Case[] = [];
  const at = (what: string, value: unknown, expected: string | RegExp, zh: string | RegExp = CJK) => cases.push({ dto: cls.name, property, what, value, expected, zh });

  // Required here when no IsOptional or ValidateIf lets the missing value through.
  const conditions = all.filter((m) => m.type === 'conditionalValidation');
  const missing: Record<string, unknown> = { ...context };
  delete missing[property];
  if (conditions.every((m) => m.constraints[0](missing, undefined))) {
    const presence = ['isNotEmpty', 'isDefined'].map(own).find(Boolean);
    at('missing', undefined, presence ?? `${property} is required`, presence ? CJK : '必须填写，不能缺少');
  }

  // The field's own type; a constraint on each item says what the items are.
  const type = Object.keys(TYPE_WORDS).find((name) => find(name) && !each(name));
  const isLength = (name: string) => find(name) !== undefined && !each(name);
  const [min, max] = [bound('min'), bound('max')];
  const wrong = wrongType(type, where, min);
  const ofWrongType = `of the wrong type (${JSON.stringify(wrong)})`;
  if (type) at(ofWrongType, wrong, own(type) ?? `${property} ${TYPE_WORDS[type]![0]}`, own(type) ? CJK : `须为${TYPE_WORDS[type]![1]}`);
  // A length says the value is a string, even when no IsString does.
  else if (isLength('minLength') || isLength('maxLength')) at(ofWrongType, wrong, `${property} must be a string`, '须为文字');
  // Only a format constraint (a pattern, a set of values, a UUID): its own words, naming the field.
  else at(ofWrongType, wrong, new RegExp(`^${property} must (?!be between|be at most|be at least|have)`));
  if (type === 'isInt' && where === 'query') at('a fraction', '1.5', `${property} must be an integer`, '须为整数');

  // An item of the wrong type in a list whose items are checked one by one (a list of strings).
  const itemType = Object.keys(TYPE_WORDS).find((name) => name !== 'nestedValidation' && find(name) && each(name));
  if (itemType || ['minLength', 'maxLength'].some((name) => find(name) && each(name))) {
    const item = itemType ? wrongType(itemType, where, undefined) : 5;
    const [en, zh] = itemType ? TYPE_WORDS[itemType]! : ['must be a string', '文字'];
    at(`with an item of the wrong type (${JSON.stringify(item)})`, [item], `each value in ${property} ${en}`, `每一项都须为${zh}`);
  }

  if (find('isNotEmpty')) at('empty', '', own('isNotEmpty') ?? `${property} must not be empty`, own('isNotEmpty') ? CJK : '不能为空');

  // A bound on each item is broken by one item; the reason says so.
  const given = (name: string, value: unknown) => (each(name) ? [value] : value);
  const named = (name: string) => (each(name) ? `each value in ${property}` : property);
  const eachZh = (name: string) => (each(name) ? '每一项都' : '');
  const asGiven = (n: number) => (where === 'query' ? String(n) : n);
  if (min !== undefined) at(`below ${min}`, given('min', asGiven(min - 1)), `${named('min')} must be ${range(min, max)}`, eachZh('min') + rangeZh(min, max));
  if (max !== undefined) at(`above ${max}`, given('max', asGiven(max + 1)), `${named('max')} must be ${range(min, max)}`, eachZh('max') + rangeZh(min, max));

  const [minLength, maxLength] = [bound('minLength'), bound('maxLength')];
  const length = (name: string) => `${named(name)} must be ${range(minLength, maxLength, 'character')} long`;
  const lengthZh = (name: string) => eachZh(name) + rangeZh(minLength, maxLength, '个字符');
  if (minLength !== undefined) at(`shorter than ${minLength}`, given('minLength', 'a'.repeat(minLength - 1)), length('minLength'), lengthZh('minLength'));
  if (maxLength !== undefined) at(`longer than ${maxLength}`, given('maxLength', 'a'.repeat(maxLength + 1)), length('maxLength'), lengthZh('maxLength'));

  const [fewest, most] = [bound('arrayMinSize'), bound('arrayMaxSize')];
  const items = Array.isArray(sample) ? [...sample].sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length) : [];
  const filler = items.length ? items[0] : 'x';
  const size = `${property} must have ${range(fewest, most, 'item')}`;
  if (fewest !== undefined) at(`with fewer than ${fewest} items`, Array(fewest - 1).fill(filler), size, rangeZh(fewest, most, '项'));
  if (most !== undefined) at(`with more than ${most} items`, Array(most + 1).fill(filler), size, rangeZh(fewest, most, '项'));
  return cases;
}

/** The `{ field, reason }` list the pipe answers with, or [] when the value passes. */
async function refusal(value: unknown, where: 'body' | 'query', metatype: Function): Promise<FieldError[]> {
  try {
    await validationPipe().transform(value, { type: where, metatype: metatype as never, data: undefined });
    return [];
  } catch (err) {
    if (err instanceof DomainError) return err.details as FieldError[];
    throw err;
  }
}

const files = dtoFiles('apps/api');
const dtos = new Map<string, { cls: Function; where: 'body' | 'query'; file: string }>();
for (const file of files) {
  const exports = (await import(join(ROOT, file))) as Record<string, unknown>;
  for (const value of Object.values(exports)) {
    if (typeof value === 'function' && metadataOf(value).length) {
      dtos.set(value.name, { cls: value, where: value.name.endsWith('Query') ? 'query' : 'body', file });
    }
  }
}
const cases = [...dtos.values()].flatMap(({ cls, where }) =>
  [...new Set(metadataOf(cls).map((m) => m.propertyName))].flatMap((property) => casesOf(cls, property, where).map((c) => ({ ...c, where, cls }))),
);

describe('validation reasons of every DTO', () => {
  it('finds the DTOs: every file with class-validator decorators exports at least one', () => {
    expect(files.filter((file) => ![...dtos.values()].some((d) => d.file === file))).toEqual([]);
    expect([...dtos.keys()]).toEqual(expect.arrayContaining(['CreateDocumentDto', 'UpdateDocumentDto', 'DisclosureDto', 'PageQuery', 'WorkingDaysQuery', 'BulkDecisionItemDto', 'LoginDto', 'CosignDto']));
    expect(cases.length).toBeGreaterThan(150);
  });

  it.each(cases.map((c) => [`${c.dto}.${c.property} ${c.what}`, c] as const))('%s', async (_, c) => {
    const value: Record<string, unknown> = { ...(CONTEXT[c.dto] ?? {}), [c.property]: c.value };
    if (c.value === undefined) delete value[c.property];
    const reasons = (await refusal(value, c.where, c.cls)).filter((e) => e.field === c.property).map((e) => e.reason);
    expect(reasons).toEqual([typeof c.expected === 'string' ? c.expected : expect.stringMatching(c.expected)]);
  });

  it("a DTO's own words are kept where they are true: a comment is required to return, not to approve", async () => {
    const decision = dtos.get('DecisionDto')!.cls;
    expect(await refusal({ decision: 'return' }, 'body', decision)).toEqual([{ field: 'comment', reason: 'comment is required to return or reject' }]);
    expect(await refusal({ decision: 'approve' }, 'body', decision)).toEqual([]);
    expect(await refusal({ decision: 'approve', comment: '' }, 'body', decision)).toEqual([{ field: 'comment', reason: 'comment must not be empty' }]);
    expect(await refusal({ decision: 'approve', comment: ' ' }, 'body', decision)).toEqual([{ field: 'comment', reason: 'comment must not be blank' }]);
  });

  it.each([...dtos.values()].filter((d) => d.where === 'body').map((d) => [d.cls.name, d] as const))(
    '%s: a body that is not a JSON object gets one reason about the body',
    async (_, { cls }) => {
      for (const [body, what] of [[null, 'null'], [[], 'an array'], [[{}], 'an array'], ['x', 'a string'], [5, 'a number'], [true, 'a boolean']] as const) {
        expect(await refusal(body, 'body', cls)).toEqual([{ field: 'body', reason: `body must be a JSON object, not ${what}` }]);
      }
    },
  );
});

/*
 * A chain definition (the body of POST /api/chains and /api/chains/validate) is checked by the lint
 * with the classes of libs/chains: each class is met where a definition that holds every one of them
 * has it first, and each case is put there, so the finding is the lint's own, with its path.
 */
const chainFiles = dtoFiles('libs/chains');
const chainClasses = new Map<string, { cls: Function; file: string }>();
for (const file of chainFiles) {
  const exports = (await import(join(ROOT, file))) as Record<string, unknown>;
  for (const value of Object.values(exports)) {
    if (typeof value === 'function' && metadataOf(value).length) chainClasses.set(value.name, { cls: value, file });
  }
}

const ALICE = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
/** The annual report, with what it lacks of the schema: fields, a condition, signers, an automatic decision, a fixed-date deadline, an action's name. */
function everyClass(): any {
  const d = JSON.parse(JSON.stringify(shippedChains.find((c) => (c as { key: string }).key === 'annual-report')));
  d.fields = [{ key: 'needsParty', name: { zh: '需经党组审议', en: 'Needs the party group' }, type: 'boolean', required: false }];
  const [, legal, party, office] = d.steps;
  legal.transitions[0].name = { zh: '审核通过', en: 'Approve' };
  delete legal.assignee;
  legal.assignees = [{ role: 'legal-counsel', department: 'document' }, { userId: ALICE }];
  legal.signing = 'all';
  legal.threshold = 2;
  delete legal.escalation;
  party.when = { all: [{ field: 'needsParty', op: 'eq', value: true }] };
  party.escalation.then = { action: 'approve', afterWorkingDays: 2, comment: '逾期未办理，视为同意' };
  office.deadline = { before: { month: 3, day: 1, yearsAfterDocumentYear: 1 } };
  delete office.reminders;
  delete office.escalation;
  return d;
}

/** Where each class is first met in `value` (an instance tree of class-transformer), by path. */
function placesOf(value: unknown, path = '', found = new Map<Function, string>()): Map<Function, string> {
  if (!value || typeof value !== 'object') return found;
  if (!Array.isArray(value) && !found.has(value.constructor)) found.set(value.constructor, path);
  for (const [key, child] of Object.entries(value)) placesOf(child, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key, found);
  return found;
}

/** The object at a path of `placesOf` in a plain definition. */
const objectAt = (d: any, path: string): any => (path.match(/[^.[\]]+/g) ?? []).reduce((node, key) => node[key], d);

const places = placesOf(plainToInstance(ChainDefinition, everyClass()));
const chainCases = [...chainClasses.values()].flatMap(({ cls }) => {
  const path = places.get(cls);
  if (path === undefined) return [];
  const sample = objectAt(everyClass(), path);
  return [...new Set(metadataOf(cls).map((m) => m.propertyName))].flatMap((property) =>
    casesOf(cls, property, 'body', sample[property]).map((c) => ({ ...c, field: path ? `${path}.${property}` : property, path })),
  );
});

describe('validation reasons of every class of a chain definition, in both languages', () => {
  it('meets every class of libs/chains that class-validator checks, in a definition the lint passes', () => {
    expect([...chainClasses.keys()]).toEqual(expect.arrayContaining(['ChainDefinition', 'StepDefinition', 'TransitionDefinition', 'SignerRef', 'Condition', 'FixedDate', 'AutoActionSpec']));
    expect([...chainClasses.values()].filter(({ cls }) => !places.has(cls)).map(({ cls }) => cls.name)).toEqual([]);
    expect(lintChainDefinition(everyClass()).errors).toEqual([]);
    expect(chainCases.length).toBeGreaterThan(150);
  });

  it.each(chainCases.map((c) => [`${c.dto}.${c.property} (at ${c.field}) ${c.what}`, c] as const))('%s', (_, c) => {
    const d = everyClass();
    const target = objectAt(d, c.path);
    if (c.value === undefined) delete target[c.property];
    else target[c.property] = c.value;
    const matching = (s: string | RegExp) => (typeof s === 'string' ? s : expect.stringMatching(s));
    const findings = lintChainDefinition(d).errors.filter((e) => e.path === c.field);
    expect(findings).toEqual([{ path: c.field, reason: matching(c.expected), message: { en: matching(c.expected), zh: matching(c.zh) } }]);
  });

  it('a definition without key or initial: one finding each, "is required" (not a pattern and a length)', () => {
    const d = everyClass();
    delete d.key;
    delete d.initial;
    expect(lintChainDefinition(d).errors).toEqual([
      { path: 'key', reason: 'key is required', message: { zh: '必须填写，不能缺少', en: 'key is required' } },
      { path: 'initial', reason: 'initial is required', message: { zh: '必须填写，不能缺少', en: 'initial is required' } },
    ]);
  });
});
