import { getMetadataStorage, type MetadataStorage, type ValidationError } from 'class-validator';
import type { FieldError } from '@shenpi/domain';

/** What a decorator recorded (class-validator does not export the type by name). */
export type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/**
 * One true reason per field. class-validator reports every constraint a value breaks, in the reverse
 * order of the decorators (a missing title read "must be shorter than or equal to 300 characters"),
 * so the one to report is chosen here, in the order a caller fixes them: presence, type, emptiness,
 * range, then format. A range is named whole ("between 2000 and 2100") from the field's own bounds.
 */

/** What the value must be, by the constraint that checks its type. */
const TYPES: Record<string, string> = {
  isString: 'a string',
  isInt: 'an integer',
  isNumber: 'a number',
  isBoolean: 'true or false',
  isObject: 'an object',
  isArray: 'an array',
  nestedValidation: 'an object',
};

/**
 * Bounds that come in pairs, how a range of them reads, and the type they bound: a bound broken by a
 * value of another type (a length of 5, a size of "x") is a type fault, not a range one.
 */
const RANGES: { lower: string; upper: string; reads: (range: string) => string; fits: (value: unknown) => boolean; type: string }[] = [
  { lower: 'min', upper: 'max', reads: (range) => `must be ${range}`, fits: (v) => typeof v === 'number' && !Number.isNaN(v), type: 'a number' },
  { lower: 'minLength', upper: 'maxLength', reads: (range) => `must be ${range} characters long`, fits: (v) => typeof v === 'string', type: 'a string' },
  { lower: 'arrayMinSize', upper: 'arrayMaxSize', reads: (range) => `must have ${range} items`, fits: Array.isArray, type: 'an array' },
];
const RANGE_OF = new Map(RANGES.flatMap((r) => [[r.lower, r] as const, [r.upper, r] as const]));

/**
 * Emptiness: a value given but with nothing in it. Any constraint not named in TYPES, RANGES or here
 * is a format (matches, isIn, isUUID, …), reported last.
 */
const PRESENCE = new Set(['isDefined', 'isNotEmpty']);

const nameOf = (m: ValidationMetadata) => m.name ?? m.type;

/** The class-validator metadata of one property of the object a ValidationError was raised on. */
function metadataOf(error: ValidationError): ValidationMetadata[] {
  const target = error.target?.constructor;
  if (!target || target === Object || target === Array) return [];
  return getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .filter((m) => m.propertyName === error.property);
}

function rangeReason(constraint: string, metadata: ValidationMetadata[]): string {
  const range = RANGE_OF.get(constraint)!;
  const bound = (name: string) => metadata.find((m) => nameOf(m) === name)?.constraints[0] as number | undefined;
  const [lower, upper] = [bound(range.lower), bound(range.upper)];
  return range.reads(lower !== undefined && upper !== undefined ? `between ${lower} and ${upper}` : lower !== undefined ? `at least ${lower}` : `at most ${upper}`);
}

/** The reason for one field: `label` is how the reason names it (`url` for `disclosure.url`, `items[0]`). */
function reasonFor(error: ValidationError, label: string): string | undefined {
  const constraints = error.constraints ?? {};
  const broken = Object.keys(constraints);
  if (!broken.length) return undefined;
  // Unknown fields keep class-validator's wording: the error filter audits them by it.
  if (constraints.whitelistValidation) return constraints.whitelistValidation;
  const metadata = metadataOf(error);
  const of = (constraint: string) => metadata.find((m) => nameOf(m) === constraint);
  // A message the DTO wrote itself (ValidateNested writes one of its own, a template, never reported).
  const own = (constraint: string) => {
    const m = of(constraint);
    return m && m.type !== 'nestedValidation' && typeof m.message === 'string' && m.message ? m.message : undefined;
  };
  if (error.value === undefined) {
    // A DTO's own words for a missing value say more (e.g. "comment is required to return or reject").
    const presence = broken.find((c) => PRESENCE.has(c) && own(c));
    return presence ? own(presence) : `${label} is required`;
  }
  const range = (c: string) => RANGE_OF.get(c);
  const misfit = (c: string) => !of(c)?.each && range(c)?.fits(error.value) === false;
  // A type constraint of the DTO's own says best what the type is (an integer, not just a number).
  const rank = (c: string) => (c in TYPES ? 0 : misfit(c) ? 1 : PRESENCE.has(c) ? 2 : range(c) ? 3 : 4);
  const first = broken.reduce((a, b) => (rank(b) < rank(a) ? b : a));
  const name = of(first)?.each ? `each value in ${label}` : label;
  if (own(first)) return own(first);
  if (first in TYPES) return `${name} must be ${TYPES[first]}`;
  if (misfit(first)) return `${name} must be ${range(first)!.type}`;
  if (range(first)) return `${name} ${rangeReason(first, metadata)}`;
  if (first === 'isNotEmpty') return `${label} must not be empty`;
  if (first === 'isDefined') return `${label} is required`;
  return constraints[first];
}

/** class-validator's errors as API.md's `{ field, reason }` list: one reason per field, nested fields by their path. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const name = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    const field = name || 'body';
    const reason = reasonFor(e, field.split('.').pop()!);
    return [...(reason ? [{ field, reason }] : []), ...fieldErrors(e.children ?? [], name)];
  });
}
