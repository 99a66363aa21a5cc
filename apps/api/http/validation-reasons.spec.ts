import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataStorage } from 'class-validator';
import { DomainError, type FieldError } from '@shenpi/domain';
import type { ValidationMetadata } from './validation-reasons.js';
import { validationPipe } from './validation.js';

/**
 * Every DTO of the API, found by its class-validator decorators: for each property, what a caller
 * hears when it is missing, of the wrong type, empty, or out of range. One reason per field, naming
 * the field and the constraint the value really breaks.
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

/** The words of each type constraint, as the API gives them. */
const TYPE_WORDS: Record<string, string> = {
  isString: 'must be a string',
  isInt: 'must be an integer',
  isBoolean: 'must be true or false',
  isObject: 'must be an object',
  isArray: 'must be an array',
  nestedValidation: 'must be an object',
};

/** A value of the wrong type for the constraint: in a query every value is a string, or an array when the parameter repeats. */
function wrongType(constraint: string | undefined, where: 'body' | 'query', min: number | undefined): unknown {
  if (where === 'query') return constraint === 'isInt' ? 'x' : ['a', 'b'];
  // A number in a string (`"year": "2031"`): right digits, wrong type.
  if (constraint === 'isInt') return String(min ?? 1);
  if (constraint === 'isBoolean') return 'true';
  if (constraint === 'isString') return 5;
  return constraint ? 'x' : 5;
}

const range = (lower: number | undefined, upper: number | undefined) =>
  lower !== undefined && upper !== undefined ? `between ${lower} and ${upper}` : lower !== undefined ? `at least ${lower}` : `at most ${upper}`;

interface Case {
  dto: string;
  property: string;
  what: string;
  value: unknown;
  expected: string | RegExp;
}

/** The cases of one property of one DTO. */
function casesOf(cls: Function, property: string, where: 'body' | 'query'): Case[] {
  const all = metadataOf(cls).filter((m) => m.propertyName === property);
  const find = (name: string) => all.find((m) => nameOf(m) === name);
  const bound = (name: string) => find(name)?.constraints[0] as number | undefined;
  const own = (name: string) => (find(name) && find(name)!.type !== 'nestedValidation' && typeof find(name)!.message === 'string' ? (find(name)!.message as string) : undefined);
  const context = CONTEXT[cls.name] ?? {};
  const cases: Case[] = [];
  const at = (what: string, value: unknown, expected: string | RegExp) => cases.push({ dto: cls.name, property, what, value, expected });

  // Required here when no IsOptional or ValidateIf lets the missing value through.
  const conditions = all.filter((m) => m.type === 'conditionalValidation');
  const missing: Record<string, unknown> = { ...context };
  delete missing[property];
  if (conditions.every((m) => m.constraints[0](missing, undefined))) {
    const presence = ['isNotEmpty', 'isDefined'].map(own).find(Boolean);
    at('missing', undefined, presence ?? `${property} is required`);
  }

  const type = Object.keys(TYPE_WORDS).find((name) => find(name));
  const [min, max] = [bound('min'), bound('max')];
  const wrong = wrongType(type, where, min);
  const ofWrongType = `of the wrong type (${JSON.stringify(wrong)})`;
  if (type) at(ofWrongType, wrong, own(type) ?? `${property} ${TYPE_WORDS[type]}`);
  // A length says the value is a string, even when no IsString does.
  else if (find('minLength') || find('maxLength')) at(ofWrongType, wrong, `${property} must be a string`);
  // Only a format constraint (a pattern, a set of values, a UUID): its own words, naming the field.
  else at(ofWrongType, wrong, new RegExp(`^${property} must (?!be between|be at most|be at least|have)`));
  if (type === 'isInt' && where === 'query') at('a fraction', '1.5', `${property} must be an integer`);

  if (find('isNotEmpty')) at('empty', '', own('isNotEmpty') ?? `${property} must not be empty`);

  const asGiven = (n: number) => (where === 'query' ? String(n) : n);
  if (min !== undefined) at(`below ${min}`, asGiven(min - 1), `${property} must be ${range(min, max)}`);
  if (max !== undefined) at(`above ${max}`, asGiven(max + 1), `${property} must be ${range(min, max)}`);

  const [minLength, maxLength] = [bound('minLength'), bound('maxLength')];
  const length = `${property} must be ${range(minLength, maxLength)} characters long`;
  if (minLength !== undefined) at(`shorter than ${minLength}`, 'a'.repeat(minLength - 1), length);
  if (maxLength !== undefined) at(`longer than ${maxLength}`, 'a'.repeat(maxLength + 1), length);

  const [fewest, most] = [bound('arrayMinSize'), bound('arrayMaxSize')];
  const size = `${property} must have ${range(fewest, most)} items`;
  if (fewest !== undefined) at(`with fewer than ${fewest} items`, Array(fewest - 1).fill('x'), size);
  if (most !== undefined) at(`with more than ${most} items`, Array(most + 1).fill('x'), size);
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
