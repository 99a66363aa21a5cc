import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { DomainError, ErrorCode, fieldErrors, hasLoneSurrogate, unsupportedMediaType, validationFailed, type FieldError } from '@shenpi/domain';

/**
 * Paths of strings no field may hold, with why: U+0000 (PostgreSQL text cannot store it) and a
 * lone surrogate (half a character: no text is made of it, and PostgreSQL's JSON functions refuse
 * its escape). No real field needs either.
 */
function unstorableFields(value: unknown, path: string, found: FieldError[]): FieldError[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push({ field: path || 'body', reason: 'must not contain the NUL character' });
    else if (hasLoneSurrogate(value)) found.push({ field: path || 'body', reason: 'must not contain half of a surrogate pair (not a character)' });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) unstorableFields(v, Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k, found);
  }
  return found;
}

/** Deeper than any request of this API; past it, recursive validation would exhaust the stack. */
export const MAX_DEPTH = 32;

/** Whether a parsed body nests deeper than `max` (walked with a stack of its own, not recursion). */
export function tooDeep(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Names every object has through its prototype: `toString`, `constructor`, `valueOf`,
 * `hasOwnProperty`, `__proto__`, … class-transformer skips a key the new DTO already has as a
 * function or accessor, so the whitelist never sees it and it would vanish silently; `__proto__`
 * copied by assignment would even replace the DTO's prototype. They are refused like any unknown field.
 */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The value without keys in INHERITED (at any depth); their paths go to `found`. Bounded by MAX_DEPTH. */
function withoutInherited(value: unknown, path: string, found: string[]): unknown {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => withoutInherited(v, `${path}[${i}]`, found));
  const clean: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (INHERITED.has(key)) found.push(at);
    else clean[key] = withoutInherited(v, at, found);
  }
  return clean;
}

/**
 * Why a parsed JSON body is not an object, or undefined when it is one. Every body a route reads is an
 * object of named fields; anything else (null, an array, a string, a number) gets one reason for the
 * body, not one per field of the DTO.
 */
function notAnObject(body: unknown): string | undefined {
  if (body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body))) return undefined;
  const what = body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
  return `body must be a JSON object, not ${what}`;
}

class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata) {
    // Raw bytes belong to upload routes (typed Buffer; body-gate.ts lets no others through), never to a DTO.
    if (Buffer.isBuffer(value)) {
      if (metadata.metatype === Buffer) return value;
      throw unsupportedMediaType('expected application/json');
    }
    if (metadata.type !== 'custom' && tooDeep(value, MAX_DEPTH)) {
      throw validationFailed([{ field: metadata.type === 'body' ? 'body' : (metadata.data ?? metadata.type), reason: `nested more than ${MAX_DEPTH} levels deep` }]);
    }
    // No body at all is an empty object (a route whose fields are all optional takes none).
    const shape = metadata.type === 'body' && metadata.data === undefined && metadata.metatype !== Buffer ? notAnObject(value) : undefined;
    if (shape) throw validationFailed([{ field: 'body', reason: shape }]);
    const unstorable = metadata.type === 'custom' ? [] : unstorableFields(value, metadata.type === 'param' ? (metadata.data ?? 'param') : '', []);
    if (unstorable.length) throw validationFailed(unstorable);
    if (metadata.type === 'custom') return super.transform(value, metadata);
    const inherited: string[] = [];
    const clean = withoutInherited(value, metadata.type === 'param' ? (metadata.data ?? 'param') : '', inherited);
    if (!inherited.length) return super.transform(value, metadata);
    // Report them with the body's other faults (the message class-validator gives an unknown field,
    // which the error filter audits as mass assignment when the name is a protected one).
    const others = await super.transform(clean, metadata).then(
      () => [],
      (err: unknown) => {
        if (err instanceof DomainError && err.code === ErrorCode.VALIDATION_FAILED) return err.details as FieldError[];
        throw err;
      },
    );
    throw validationFailed([...inherited.map((field) => ({ field, reason: `property ${field.split('.').pop()} should not exist` })), ...others]);
  }
}

/** Every body, query and parameter is checked: unknown fields are rejected, each error names its field. */
export const validationPipe = () =>
  new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    // Every broken constraint, with the object and value it was raised on: fieldErrors picks the one to report.
    stopAtFirstError: false,
    transform: true,
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => validationFailed(fieldErrors(errors)),
  });
