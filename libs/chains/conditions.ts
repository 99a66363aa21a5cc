import type { Condition, FieldSpec } from './chain-definition.schema.js';

/** A document's declared fields, as the chain's `fields` describe them. */
export type DocumentFields = Record<string, string | number | boolean>;

/** Evaluates a declarative condition on the document's fields; a missing field fails every comparison but `ne`. */
export function holds(condition: Condition, fields: DocumentFields): boolean {
  if (condition.all) return condition.all.every((c) => holds(c, fields));
  if (condition.any) return condition.any.some((c) => holds(c, fields));
  // Own fields only: a field named like an Object member (`constructor`) is not set by inheritance.
  const actual = Object.hasOwn(fields, condition.field!) ? fields[condition.field!] : undefined;
  const expected = condition.value;
  switch (condition.op ?? 'eq') {
    case 'exists':
      return (actual !== undefined) === (expected ?? true);
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'in':
      return Array.isArray(expected) && expected.includes(actual);
    case 'gt':
      return typeof actual === 'number' && actual > (expected as number);
    case 'gte':
      return typeof actual === 'number' && actual >= (expected as number);
    case 'lt':
      return typeof actual === 'number' && actual < (expected as number);
    case 'lte':
      return typeof actual === 'number' && actual <= (expected as number);
  }
}

/** Checks a document's fields against the chain's declared ones: `{ field, reason }` for each problem. */
export function checkFields(specs: FieldSpec[] | undefined, fields: Record<string, unknown>, requireAll: boolean): { field: string; reason: string }[] {
  const declared = new Map((specs ?? []).map((s) => [s.key, s]));
  const problems: { field: string; reason: string }[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const spec = declared.get(key);
    if (!spec) problems.push({ field: `fields.${key}`, reason: `the chain declares no field "${key}"` });
    else if (typeof value !== spec.type || (spec.type === 'number' && !Number.isFinite(value))) {
      problems.push({ field: `fields.${key}`, reason: `must be a ${spec.type}` });
    } else if (spec.type === 'string' && (value as string).length > 500) problems.push({ field: `fields.${key}`, reason: 'at most 500 characters' });
  }
  if (requireAll) {
    for (const spec of specs ?? []) {
      if (spec.required && fields[spec.key] === undefined) problems.push({ field: `fields.${spec.key}`, reason: 'is required' });
    }
  }
  return problems;
}
