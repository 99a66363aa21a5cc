import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import request from 'supertest';

/**
 * The contract check: every answer a test app gives is held against the OpenAPI document it
 * serves (/api/docs-json). An answer whose route, status or media type the document does not
 * list, or whose JSON body does not match the schema listed for it, is a violation; the e2e
 * project's setup (contract-setup.ts) fails the test during which it happened, naming the route,
 * method and status. Validators are compiled once per (route, status), on first use.
 */

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, Json>;
}

/** What the app answered, as the check reads it. */
export interface Answer {
  method: string;
  /** The route's pattern as Fastify matched it (`/api/documents/:id`), undefined when no route matched. */
  route: string | undefined;
  status: number;
  contentType: string | undefined;
  body: string | undefined;
}

/** Routes that serve the document itself, not part of it. */
const OWN_ROUTES = /^\/api\/docs(-json|-yaml)?(\/|$)/;
/** The API's routes: the web UI's pages and assets (`/`, `/*`) are not part of the HTTP contract. */
const API_ROUTES = /^\/(api|health)(\/|$)/;

export class ContractCheck {
  readonly violations: string[] = [];
  private ajv: Ajv2020 | undefined;
  private document: Json = {};
  private readonly validators = new Map<string, ValidateFunction>();

  /** Without a document, answers are let through until `use` gives one (the served one is read once the app is up). */
  constructor(document?: Json) {
    if (document) this.use(document);
  }

  use(document: Json): this {
    this.document = document;
    this.validators.clear();
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    this.ajv.addSchema(document, 'openapi');
    return this;
  }

  /** The document's answer for a status, following a `$ref` to the shared error answers. */
  private response(op: Operation, status: number): Json | undefined {
    const found = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`];
    const target = found?.$ref as string | undefined;
    if (!target) return found;
    return target.split('/').slice(1).reduce<Json>((node, key) => node[key] as Json, this.document);
  }

  /** Why an answer breaks the contract, or undefined when it keeps it. */
  check(answer: Answer): string | undefined {
    if (!answer.route || !API_ROUTES.test(answer.route) || OWN_ROUTES.test(answer.route) || answer.method === 'HEAD' || answer.method === 'OPTIONS') return undefined;
    const path = answer.route.replace(/:(\w+)/g, '{$1}');
    const method = answer.method.toLowerCase();
    const where = `${answer.method} ${path} answered ${answer.status}`;
    const op = (this.document.paths as Record<string, Record<string, Operation>>)[path]?.[method];
    if (!op) return `${answer.method} ${path} is not in the OpenAPI document: give its handler an @ApiDoc`;
    const response = this.response(op, answer.status);
    const code = (() => {
      try {
        return (JSON.parse(answer.body ?? '') as { code?: string }).code;
      } catch {
        return undefined;
      }
    })();
    if (!response) return `${where}${code ? ` (${code})` : ''}, a status the OpenAPI document does not list for it: add it to the route's @ApiDoc (errors) or fix the route`;
    const content = response.content as Record<string, { schema?: Json }> | undefined;
    const mediaType = (answer.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (!content) return answer.body ? `${where} with a body where the document says there is none` : undefined;
    const listed = content[mediaType] ?? content['*/*'];
    if (!listed) return `${where} as ${mediaType || 'no media type'}, which the document does not list (${Object.keys(content).join(', ')})`;
    if (mediaType !== 'application/json' || !listed.schema) return undefined;
    const key = `${path} ${method} ${answer.status} ${mediaType}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const pointer = (responseRef(op, answer.status) ?? `#/paths/${escape(path)}/${method}/responses/${answer.status}`) + `/content/${escape(mediaType)}/schema`;
      validate = this.ajv!.compile({ $ref: `openapi${pointer}` });
      this.validators.set(key, validate);
    }
    let body: unknown;
    try {
      body = JSON.parse(answer.body ?? '');
    } catch {
      return `${where} with a body that is not JSON`;
    }
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
    return `${where} with a body that does not match its schema: ${errors.join('; ')}`;
  }

  /** Checks every answer the app gives from now on (install before the app is initialised). */
  watch(app: NestFastifyApplication): this {
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onSend', async (req, reply, payload) => {
        if (!this.ajv) return payload;
        const violation = this.check({
          method: req.method,
          route: req.routeOptions.url,
          status: reply.statusCode,
          contentType: reply.getHeader('content-type') as string | undefined,
          body: typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined,
        });
        if (violation) this.violations.push(violation);
        return payload;
      });
    return this;
  }

  /** The violations since the last call, emptied. */
  take(): string[] {
    return this.violations.splice(0);
  }
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function responseRef(op: Operation, status: number): string | undefined {
  return op.responses[String(status)]?.$ref as string | undefined;
}

/** The document of the running app, as clients read it. */
export async function servedDocument(app: NestFastifyApplication): Promise<Json> {
  const res = await request(app.getHttpServer()).get('/api/docs-json');
  if (res.status !== 200) throw new Error(`GET /api/docs-json: ${res.status}`);
  return res.body as Json;
}

/**
 * The checks of this test file's apps, when its project asks for them (the e2e setup does): each app
 * test-app.ts starts is watched (and one fork-api.ts runs, in its process), and the setup fails a
 * test during which a violation happened.
 */
let enabled = false;
const watched: { take(): string[] | Promise<string[]> }[] = [];

export function enableContractCheck(): void {
  enabled = true;
}

export const contractCheckEnabled = () => enabled;

/** For test-app.ts: watches an app (before init) when enabled; the returned function reads the served document (after ready). */
export function watchContract(app: NestFastifyApplication): () => Promise<void> {
  if (!enabled) return async () => undefined;
  const check = new ContractCheck().watch(app);
  watched.push(check);
  return async () => void check.use(await servedDocument(app));
}

/** For fork-api.ts: the violations of an app in another process, fetched when asked. */
export function watchRemote(source: { take(): Promise<string[]> }): void {
  if (enabled) watched.push(source);
}

/** Every violation of every watched app since the last call. */
export async function takeViolations(): Promise<string[]> {
  return (await Promise.all(watched.map((c) => c.take()))).flat();
}
