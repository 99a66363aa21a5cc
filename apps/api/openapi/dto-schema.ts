import { getMetadataStorage } from 'class-validator';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import type { ValidationMetadata } from '@shenpi/domain';

/**
 * The JSON Schema (2020-12, as OpenAPI 3.1 reads it) of a DTO, read from its class-validator
 * metadata: the decorators the validation pipe enforces are the only description of a request,
 * so the document cannot drift from what is checked. Every DTO goes through here (bodies and
 * queries alike); a constraint this does not know is left out of the schema, never guessed.
 */
export type JsonSchema = Record<string, unknown>;

const nameOf = (m: ValidationMetadata) => m.name ?? m.type;

/** What each constraint says of one value (for `each: true`, of each item). */
function constraintSchema(m: ValidationMetadata): JsonSchema | undefined {
  const [a] = m.constraints ?? [];
  switch (nameOf(m)) {
    case 'isString':
      return { type: 'string' };
    case 'isInt':
      return { type: 'integer' };
    case 'isNumber':
      return { type: 'number' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isObject':
      return { type: 'object' };
    case 'isArray':
      return { type: 'array' };
    case 'isNotEmpty':
    case 'minLength':
      return { minLength: nameOf(m) === 'isNotEmpty' ? 1 : a };
    case 'maxLength':
      return { maxLength: a };
    case 'min':
      return { minimum: a };
    case 'max':
      return { maximum: a };
    case 'arrayMinSize':
      return { minItems: a };
    case 'arrayMaxSize':
      return { maxItems: a };
    case 'isIn':
      return { enum: [...(a as unknown[])] };
    case 'isNotIn':
      return { not: { enum: [...(a as unknown[])] } };
    case 'matches':
      return { type: 'string', pattern: (a as RegExp).source ?? String(a) };
    case 'isUuid':
      return { type: 'string', format: 'uuid' };
    case 'isUrl':
      return { type: 'string', format: 'uri' };
    case 'isIso8601':
      return { type: 'string', format: 'date-time' };
    case 'isBase64':
      return { type: 'string', contentEncoding: 'base64' };
    default:
      return undefined;
  }
}

/** Merges constraint schemas: later keys of the same name narrow (all are conjunctions in the pipe). */
function merge(parts: JsonSchema[]): JsonSchema {
  const out: JsonSchema = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'pattern' && out.pattern) out.allOf = [...((out.allOf as JsonSchema[]) ?? []), { pattern: value }];
      else out[key] = value;
    }
  }
  return out;
}

/** The nested DTO class of a property (`@Type(() => X)`, else its declared type). */
function nestedClass(target: Function, property: string): Function | undefined {
  const declared = defaultMetadataStorage.findTypeMetadata(target, property)?.typeFunction?.() as Function | undefined;
  return declared ?? (Reflect.getMetadata('design:type', target.prototype, property) as Function | undefined);
}

export interface DtoSchemaOptions {
  /** Names a nested DTO (a `$ref`); by default nested DTOs are written inline. */
  refFor?: (dto: Function) => JsonSchema;
}

/**
 * The object schema of a DTO class. Required: every property without `@IsOptional`; a property
 * under `@ValidateIf` is required only when its condition holds, which JSON Schema cannot say from
 * a function, so it is listed as optional and its description says so.
 */
export function dtoSchema(dto: Function, options: DtoSchemaOptions = {}): JsonSchema {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false) as ValidationMetadata[];
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metadata) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [property, ms] of byProperty) {
    const condition = ms.find((m) => m.type === 'conditionalValidation' && nameOf(m) !== 'isOptional')?.constraints?.[0];
    // `@ValidateIf((o) => o.x !== undefined)` checks a value only when given: plain optional.
    const whenGiven = condition !== undefined && /^\(?\s*\w+(\s*:[^)]*)?\)?\s*=>\s*\w+\.\w+\s*!==\s*undefined$/.test(String(condition).trim());
    const optional = whenGiven || ms.some((m) => nameOf(m) === 'isOptional');
    const conditional = !optional && condition !== undefined;
    const own = ms.filter((m) => !m.each).map(constraintSchema).filter((s): s is JsonSchema => !!s);
    const each = ms.filter((m) => m.each).map(constraintSchema).filter((s): s is JsonSchema => !!s);
    let schema = merge(own);
    if (each.length) schema = { ...schema, type: 'array', items: merge(each) };
    if (ms.some((m) => m.type === 'nestedValidation')) {
      const nested = nestedClass(dto, property);
      const item = nested && nested !== Object && nested !== Array ? (options.refFor?.(nested) ?? dtoSchema(nested, options)) : { type: 'object' };
      schema = Reflect.getMetadata('design:type', dto.prototype, property) === Array ? { ...schema, type: 'array', items: item } : { ...schema, ...item };
    }
    if (conditional) schema.description = 'Required in the cases the operation\'s description names; checked as given otherwise.';
    // A condition that skips null (`o.x !== null && …`) lets null through: the field may be cleared.
    if (condition && /!==?\s*null/.test(String(condition)) && typeof schema.type === 'string') schema = { ...schema, type: [schema.type, 'null'] };
    properties[property] = schema;
    if (!optional && !conditional) required.push(property);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}
