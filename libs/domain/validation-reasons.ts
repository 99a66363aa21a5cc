import { getMetadataStorage, type MetadataStorage, type ValidationError } from 'class-validator';
import type { FieldError } from './errors.js';

/** What a decorator recorded (class-validator does not export the type by name). */
export type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/**
 * One true reason per field, for the API's DTOs and a chain definition's schema alike.
 * class-validator reports every constraint a value breaks, in the reverse order of the decorators
 * (a missing title read "must be shorter than or equal to 300 characters"), so the one to report is
 * chosen here, in the order a caller fixes them: presence, type, emptiness, range, then format. A
 * range is named whole ("between 2000 and 2100") from the field's own bounds. The choice is kept as
 * a `Fault`, so that another language (the chain lint's Chinese) says the same reason.
 */

/** What the value must be, by the constraint that checks its type. */
const TYPES: Record<string, ValueType> = {
  isString: 'string',
  isInt: 'integer',
  isNumber: 'number',
  isBoolean: 'boolean',
  isObject: 'object',
  isArray: 'array',
  nestedValidation: 'object',
};
export type ValueType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
const TYPE_EN: Record<ValueType, string> = { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', object: 'an object', array: 'an array' };

/** What a pair of bounds measures: the value itself, a string's length, an array's size. */
export type Measure = 'value' | 'length' | 'size';

/**
 * Bounds that come in pairs, what they measure, and the type they bound: a bound broken by a
 * value of another type (a length of 5, a size of "x") is a type fault, not a range one.
 */
const RANGES: { lower: string; upper: string; measure: Measure; fits: (value: unknown) => boolean; type: ValueType }[] = [
  { lower: 'min', upper: 'max', measure: 'value', fits: (v) => typeof v === 'number' && !Number.isNaN(v), type: 'number' },
  { lower: 'minLength', upper: 'maxLength', measure: 'length', fits: (v) => typeof v === 'string', type: 'string' },
  { lower: 'arrayMinSize', upper: 'arrayMaxSize', measure: 'size', fits: Array.isArray, type: 'array' },
];
const RANGE_OF = new Map(RANGES.flatMap((r) => [[r.lower, r] as const, [r.upper, r] as const]));

/**
 * Emptiness: a value given but with nothing in it. Any constraint not named in TYPES, RANGES or here
 * is a format (matches, isIn, isUUID, …), reported last.
 */
const PRESENCE = new Set(['isDefined', 'isNotEmpty']);

/**
 * Why a field is refused, whatever the language: `each` when the constraint holds each item of an
 * array. `own`: the class's own words for the constraint (its decorator's message); `format`:
 * class-validator's words for any other constraint (a pattern, a set of values, a UUID); `unknown`:
 * a field the class does not declare.
 */
export type Fault =
  | { kind: 'required' | 'empty' | 'unknown' | 'own' | 'format'; each: boolean }
  | { kind: 'type'; type: ValueType; each: boolean }
  | { kind: 'range'; measure: Measure; lower?: number; upper?: number; each: boolean };

/** A refused field: its reason in English, and the constraint reported and its fault, for other languages. */
export interface FieldFault extends FieldError {
  /** The field's own name (`url` of `disclosure.url`, `items[0]` of `items[0]`). */
  property: string;
  constraint: string;
  fault: Fault;
}

const nameOf = (m: ValidationMetadata) => m.name ?? m.type;

/** The class-validator metadata of one property of the object a ValidationError was raised on. */
function metadataOf(error: ValidationError): ValidationMetadata[] {
  const target = error.target?.constructor;
  if (!target || target === Object || target === Array) return [];
  return getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .filter((m) => m.propertyName === error.property);
}

/** A number with its noun, singular for one ("at least 1 item"). */
const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** A range in English: "between 2 and 200 items", "at least 1 item", "at most 64 characters long". */
function rangeEn(fault: Extract<Fault, { kind: 'range' }>): string {
  const { lower, upper, measure } = fault;
  const noun = measure === 'length' ? 'character' : 'item';
  const bounds = (n: number) => (measure === 'value' ? String(n) : counted(n, noun));
  const range = lower !== undefined && upper !== undefined ? `between ${lower} and ${bounds(upper)}` : lower !== undefined ? `at least ${bounds(lower)}` : `at most ${bounds(upper!)}`;
  return measure === 'size' ? `must have ${range}` : measure === 'length' ? `must be ${range} long` : `must be ${range}`;
}

/** The English of a fault, the field named as `label`; `words` are the constraint's own (for own, format and unknown). */
function english(fault: Fault, label: string, words: string): string {
  const name = fault.each ? `each value in ${label}` : label;
  switch (fault.kind) {
    case 'required':
      return `${label} is required`;
    case 'empty':
      return `${label} must not be empty`;
    case 'type':
      return `${name} must be ${TYPE_EN[fault.type]}`;
    case 'range':
      return `${name} ${rangeEn(fault)}`;
    default:
      return words;
  }
}

/** The fault of one field, or undefined when it broke nothing itself (its children did). */
function faultOf(error: ValidationError, label: string): Omit<FieldFault, 'field' | 'property'> | undefined {
  const constraints = error.constraints ?? {};
  const broken = Object.keys(constraints);
  if (!broken.length) return undefined;
  const said = (constraint: string, fault: Fault, words = constraints[constraint]!) => ({ constraint, fault, reason: english(fault, label, words) });
  // Unknown fields keep class-validator's wording: the error filter audits them by it.
  if (constraints.whitelistValidation) return said('whitelistValidation', { kind: 'unknown', each: false });
  const metadata = metadataOf(error);
  const of = (constraint: string) => metadata.find((m) => nameOf(m) === constraint);
  const each = (constraint: string) => of(constraint)?.each === true;
  // A message the class wrote itself, as class-validator filled it in ($property, $constraint1);
  // ValidateNested writes one of its own, a template, never reported.
  const own = (constraint: string) => {
    const m = of(constraint);
    return !!m && m.type !== 'nestedValidation' && typeof m.message === 'string' && !!m.message;
  };
  if (error.value === undefined) {
    // A class's own words for a missing value say more (e.g. "comment is required to return or reject").
    const presence = broken.find((c) => PRESENCE.has(c) && own(c));
    return presence ? said(presence, { kind: 'own', each: false }) : said(broken[0]!, { kind: 'required', each: false });
  }
  const range = (c: string) => RANGE_OF.get(c);
  // A bound on a value of another type (on each item, for a bound on each): the type is the fault.
  const misfit = (c: string) => {
    const r = range(c);
    if (!r) return false;
    return each(c) ? Array.isArray(error.value) && error.value.some((v) => !r.fits(v)) : !r.fits(error.value);
  };
  // A type constraint of the class's own says best what the type is (an integer, not just a number);
  // nested validation last among them, since an array of objects is first of all an array.
  const rank = (c: string) => (c === 'nestedValidation' ? 0.5 : c in TYPES ? 0 : misfit(c) ? 1 : PRESENCE.has(c) ? 2 : range(c) ? 3 : 4);
  const first = broken.reduce((a, b) => (rank(b) < rank(a) ? b : a));
  if (own(first)) return said(first, { kind: 'own', each: each(first) });
  if (first in TYPES) return said(first, { kind: 'type', type: TYPES[first]!, each: each(first) });
  if (misfit(first)) return said(first, { kind: 'type', type: range(first)!.type, each: each(first) });
  const r = range(first);
  if (r) {
    const bound = (name: string) => of(name)?.constraints[0] as number | undefined;
    return said(first, { kind: 'range', measure: r.measure, lower: bound(r.lower), upper: bound(r.upper), each: each(first) });
  }
  if (first === 'isNotEmpty') return said(first, { kind: 'empty', each: false });
  if (first === 'isDefined') return said(first, { kind: 'required', each: false });
  return said(first, { kind: 'format', each: each(first) });
}

/** class-validator's errors, one fault per field, nested fields by their path (`steps[1].key`). */
export function fieldFaults(errors: ValidationError[], parent = ''): FieldFault[] {
  return errors.flatMap((e) => {
    const name = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    const field = name || 'body';
    const property = field.split('.').pop()!;
    const found = faultOf(e, property);
    return [...(found ? [{ field, property, ...found }] : []), ...fieldFaults(e.children ?? [], name)];
  });
}

/** class-validator's errors as API.md's `{ field, reason }` list: one reason per field, nested fields by their path. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return fieldFaults(errors, parent).map(({ field, reason }) => ({ field, reason }));
}
