import { RequestMethod, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { PUBLIC_ROUTE } from '../auth/principal.decorator.js';
import { codesOfStatus } from '../http/error-response.js';
import { IDEMPOTENT, KEY_PATTERN } from '../http/idempotency.js';
import { dtoSchema, type JsonSchema } from './dto-schema.js';
import { RESPONSE_SCHEMAS, UPLOAD_TYPES_DESCRIPTION } from './responses.js';
import { ROUTE_DOC, type RouteDoc, type SchemaRef } from './route-doc.js';

/**
 * The OpenAPI 3.1 document, built from the controllers: each route's method, path, parameters,
 * body and query DTOs (their schemas read from class-validator, dto-schema.ts) and success status
 * come from Nest's own metadata; its summary, answers and error statuses from its `@ApiDoc`
 * (route-doc.ts). Served at /api/docs-json; the e2e suite checks every answer against it.
 */

const TAGS: Record<string, string> = {
  auth: 'Login, password change, logout and the caller.',
  documents: 'Documents through their review chain: create, edit, act, history, diagrams.',
  tasks: 'The inbox and decisions on tasks (审批), delegation and added signers.',
  attachments: 'Files on documents and tasks, and their download.',
  chains: 'Chain definitions: read, validate, publish, migrate running documents.',
  calendar: 'The working-day calendar.',
  users: 'Users, their roles and supervision (administrators).',
  departments: 'Departments (administrators).',
  proxies: 'The caller\'s substitutes while away (代理).',
  notifications: 'The caller\'s notifications.',
  supervision: 'Supervision (督察) across departments.',
  audit: 'The audit log, its verification, checkpoints and the verifiable Merkle tree.',
  health: 'Liveness of the service.',
};

/** The tag of a path: its first segment after `/api` (a few by their own resource). */
function tagOf(path: string): string {
  if (path.startsWith('/api/me/proxies')) return 'proxies';
  if (path.startsWith('/api/me/copies')) return 'documents';
  if (path === '/api/me') return 'auth';
  if (/^\/api\/(documents|tasks)\/\{id\}\/attachments$/.test(path)) return 'attachments';
  const [first, second] = path.split('/').filter(Boolean);
  return first === 'api' ? second! : first!;
}

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};

const STATUS_NAMES: Record<number, [string, string]> = {
  400: ['BadRequest', 'The request is not valid: `details` lists `{ field, reason }` for each bad or unknown field.'],
  401: ['Unauthenticated', 'No, an expired or a bad bearer token (or wrong credentials at login).'],
  403: ['Forbidden', 'The caller may see this but not do it.'],
  404: ['NotFound', 'Not found, or not visible to the caller (a malformed id is not found too).'],
  409: ['Conflict', 'The state changed or forbids this now; nothing was changed.'],
  413: ['PayloadTooLarge', 'The body is larger than the limit.'],
  415: ['UnsupportedMediaType', 'The body\'s media type is not taken here (JSON everywhere, a file\'s own type on an upload route): `details` is `[{ field: "content-type", reason }]`.'],
  422: ['Unprocessable', 'The request is well-formed but its content is refused.'],
  429: ['RateLimited', 'Too many attempts; `Retry-After` says when to try again where it applies.'],
  503: ['Unavailable', 'The service cannot reach its database.'],
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const schemaOf = (s: SchemaRef): JsonSchema => (typeof s === 'string' ? ref(s) : s);
const json = (schema: JsonSchema, example?: unknown) => ({ 'application/json': { schema, ...(example !== undefined ? { example } : {}) } });

/** The error body's schema for a status: the shape of API.md, its `code` one of those the status carries. */
function errorSchema(status: number): JsonSchema {
  return {
    allOf: [ref('Error')],
    properties: {
      statusCode: { const: status },
      code: { enum: codesOfStatus(status) },
      ...(status === 400 || status === 415 ? { details: { type: 'array', items: ref('FieldError') } } : {}),
    },
  };
}

function errorResponses(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(STATUS_NAMES).map(([status, [name, description]]) => {
      const codes = codesOfStatus(Number(status));
      return [name, { description: `${description} Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`, content: json(errorSchema(Number(status))) }];
    }),
  );
}

interface Route {
  controller: Type<unknown>;
  handler: string;
  method: string;
  path: string;
}

function routesOf(controllers: Type<unknown>[]): Route[] {
  return controllers.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    return Object.getOwnPropertyNames(controller.prototype)
      .filter((handler) => handler !== 'constructor' && Reflect.hasMetadata(METHOD_METADATA, controller.prototype[handler]))
      .map((handler) => {
        const fn = controller.prototype[handler];
        const sub = String(Reflect.getMetadata(PATH_METADATA, fn) ?? '');
        const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/').replace(/:(\w+)/g, '{$1}');
        return { controller, handler, method: METHODS[Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod]!, path };
      });
  });
}

/** The classes a handler reads its body and query through (the DTOs the validation pipe checks). */
function inputsOf(route: Route): { body?: Function; query?: Function } {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.handler) ?? {}) as Record<string, { index: number; data?: unknown }>;
  const types = (Reflect.getMetadata('design:paramtypes', route.controller.prototype, route.handler) ?? []) as Function[];
  const found: { body?: Function; query?: Function } = {};
  for (const [key, arg] of Object.entries(args)) {
    const kind = Number(key.split(':')[0]);
    if (arg.data !== undefined) continue;
    if (kind === RouteParamtypes.BODY) found.body = types[arg.index];
    if (kind === RouteParamtypes.QUERY) found.query = types[arg.index];
  }
  return found;
}

const isDto = (cls: Function | undefined): cls is Function => !!cls && cls !== Object && cls !== Buffer && cls !== String;

const routeName = (route: Route) => `${route.method.toUpperCase()} ${route.path} (${route.controller.name}.${route.handler})`;
const routeDoc = (route: Route) => Reflect.getMetadata(ROUTE_DOC, route.controller.prototype[route.handler]) as RouteDoc | undefined;

/**
 * Routes without an `@ApiDoc`: left out of the document (the service still starts), so the e2e
 * contract check fails on their first answer and the document's spec lists them by name.
 */
export function undocumentedRoutes(controllers: Type<unknown>[]): string[] {
  return routesOf(controllers).filter((route) => !routeDoc(route)).map(routeName);
}

export function buildOpenApiDocument(controllers: Type<unknown>[]): Record<string, unknown> {
  const schemas: Record<string, JsonSchema> = { ...RESPONSE_SCHEMAS };
  const named = new Map<string, Function>();
  const refFor = (dto: Function): JsonSchema => {
    if (named.get(dto.name) === dto) return ref(dto.name);
    if (named.has(dto.name) || schemas[dto.name]) throw new Error(`two schemas named ${dto.name}: rename one class`);
    named.set(dto.name, dto); // first, so a DTO that nests itself (a chain's Condition) refers to itself
    schemas[dto.name] = dtoSchema(dto, { refFor });
    return ref(dto.name);
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routesOf(controllers)) {
    const fn = route.controller.prototype[route.handler];
    const doc = routeDoc(route);
    if (!doc) continue;
    const where = routeName(route);
    const isPublic = Reflect.getMetadata(PUBLIC_ROUTE, fn) === true;
    const { body, query } = inputsOf(route);
    const parameters: unknown[] = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    parameters.push(...(doc.parameters ?? []));
    if (isDto(query)) {
      const q = dtoSchema(query);
      for (const [name, schema] of Object.entries(q.properties as Record<string, JsonSchema>)) {
        parameters.push({ name, in: 'query', required: ((q.required as string[]) ?? []).includes(name), schema });
      }
    }
    // An idempotent write (`@Idempotent`): the key's header, and 422 IDEMPOTENCY_KEY_REUSED for a key reused with another request.
    const idempotent = Reflect.getMetadata(IDEMPOTENT, fn) !== undefined;
    if (idempotent) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Retries with the same key and request get the first answer (header `Idempotent-Replayed: true`) for 24 hours and change nothing.',
        schema: { type: 'string', pattern: KEY_PATTERN.source },
      });
    }
    const takesBody = route.method !== 'get' && route.method !== 'delete';
    let requestBody: unknown;
    if (doc.body === 'file') {
      requestBody = { required: true, description: UPLOAD_TYPES_DESCRIPTION, content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } };
    } else if (typeof doc.body === 'function') {
      requestBody = { required: true, content: json(refFor(doc.body), doc.examples?.request) };
    } else if (doc.body) {
      requestBody = { required: true, content: json(schemaOf(doc.body), doc.examples?.request) };
    } else if (isDto(body)) {
      const required = ((dtoSchema(body).required as string[] | undefined) ?? []).length > 0;
      requestBody = { required, content: json(refFor(body), doc.examples?.request) };
    }
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined) ?? (route.method === 'post' ? 201 : 200);
    const responses: Record<string, unknown> = {};
    const success = (schema: SchemaRef | undefined, example?: unknown) =>
      schema === undefined ? { description: 'Done; no body.' } : { description: 'Success.', content: json(schemaOf(schema), example) };
    const other = Object.fromEntries(Object.entries(doc.okContent ?? {}).map(([type, schema]) => [type, { schema }]));
    const first = success(doc.ok, doc.examples?.response);
    responses[status] = doc.okContent ? { description: 'Success.', content: { ...('content' in first ? first.content : {}), ...other } } : first;
    for (const [extra, schema] of Object.entries(doc.alsoOk ?? {})) responses[extra] = success(schema);
    // A body sent to any route but a GET is judged on its media type first (body-gate.ts): 415.
    const errors = new Set([400, ...(isPublic ? [] : [401]), ...(takesBody ? [413] : []), ...(route.method !== 'get' ? [415] : []), ...(idempotent ? [422] : []), ...(doc.errors ?? [])]);
    for (const error of [...errors].sort()) {
      const name = STATUS_NAMES[error]?.[0];
      if (!name) throw new Error(`${where}: no error response for status ${error}`);
      responses[error] = { $ref: `#/components/responses/${name}` };
    }
    (paths[route.path] ??= {})[route.method] = {
      operationId: `${route.controller.name.replace(/Controller$/, '')}_${route.handler}`,
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      tags: [tagOf(route.path)],
      ...(doc.security ? { security: doc.security } : isPublic ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  const usedTags = new Set(Object.values(paths).flatMap((ops) => Object.values(ops).map((op) => (op as { tags: string[] }).tags[0])));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Shenpi 审批链引擎',
      version: '1',
      description: 'Review-chain approval engine: documents, tasks, chains, audit. Every answer of the e2e suite is checked against this document.',
      license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    // Known tags in TAGS' order with their descriptions, then any other a new path brought.
    tags: [...new Set([...Object.keys(TAGS), ...usedTags])].filter((name) => usedTags.has(name)).map((name) => ({ name, ...(TAGS[name] ? { description: TAGS[name] } : {}) })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The `accessToken` of POST /api/auth/login.' },
        // For a browser's EventSource, which cannot set headers (the notification stream only).
        accessToken: { type: 'apiKey', in: 'query', name: 'access_token', description: 'The same token as a query parameter, where a route says so.' },
      },
      schemas,
      responses: errorResponses(),
    },
  };
}
