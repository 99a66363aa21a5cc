import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ContractCheck, servedDocument } from '../support/contract-check.js';
import { openApi, type OpenApi } from '../support/open-api.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, PASSWORD, testDatabase, useApp } from '../support/test-app.js';

type Json = Record<string, any>;

/** The fields of a JSON value, at every depth (an array by its first item): what a client reads, not the values. */
const shapeOf = (value: unknown): unknown =>
  Array.isArray(value) ? [shapeOf(value[0])] : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shapeOf(v)])) : typeof value;
const MISSING = '0190a0a0-0000-7000-8000-000000000000';

/**
 * The contract check itself: it must catch an undocumented status, route or body (else the e2e
 * suite's check could pass silently), and the served document must let a client act from it alone.
 */
describe('the contract check over a real app', () => {
  const database = testDatabase();
  let api: OpenApi;
  let check: ContractCheck;
  let token: string;

  beforeAll(async () => {
    api = await openApi({ database, attachments: { dir: mkdtempSync(join(tmpdir(), 'shenpi-contract-')), maxBytes: 1024 }, jwtSecret: 'contract-secret', seed: { password: PASSWORD } });
    check = new ContractCheck().watch(api.app);
    await api.app.init();
    await api.app.getHttpAdapter().getInstance().ready();
    const login = await request(api.app.getHttpServer()).post('/api/auth/login').send({ username: 'drafter', password: PASSWORD });
    token = login.body.accessToken;
  });
  afterAll(async () => {
    await api?.close();
    await database.drop();
  });

  /** The served document with one change, the answers of `act` checked against it. */
  async function violationsUnder(change: (doc: Json) => void, act: () => Promise<unknown>): Promise<string[]> {
    const doc = structuredClone(await servedDocument(api.app)) as Json;
    change(doc);
    check.use(doc);
    check.take();
    await act();
    return check.take();
  }
  const get = (path: string) => request(api.app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);

  it('lets the served document\'s own answers through', async () => {
    expect(await violationsUnder(() => undefined, () => Promise.all([get('/api/me').expect(200), get(`/api/documents/${MISSING}`).expect(404)]))).toEqual([]);
  });

  it('fails an answer whose status the route does not document, naming method, route, status and code', async () => {
    const violations = await violationsUnder(
      (doc) => delete doc.paths['/api/documents/{id}'].get.responses['404'],
      () => get(`/api/documents/${MISSING}`).expect(404),
    );
    expect(violations).toEqual([expect.stringMatching(/^GET \/api\/documents\/\{id\} answered 404 \(NOT_FOUND\), a status the OpenAPI document does not list/)]);
  });

  it('fails a body that does not match its schema, naming the field', async () => {
    const violations = await violationsUnder(
      (doc) => (doc.components.schemas.Me.properties.username = { type: 'integer' }),
      () => get('/api/me').expect(200),
    );
    expect(violations).toEqual([expect.stringMatching(/^GET \/api\/me answered 200 with a body that does not match its schema: \/username must be integer/)]);
  });

  it('fails an answer of a route the document does not have', async () => {
    const violations = await violationsUnder((doc) => delete doc.paths['/api/me'], () => get('/api/me').expect(200));
    expect(violations).toEqual(['GET /api/me is not in the OpenAPI document: give its handler an @ApiDoc']);
  });
});

describe('a client built from the served document alone', () => {
  const t = useApp();

  it('logs in, authorizes as the security scheme says and creates a document from the documented example', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as Json;
    const operation = (id: string) => {
      for (const [path, ops] of Object.entries(doc.paths as Json)) for (const [method, op] of Object.entries(ops as Json)) if (op.operationId === id) return { path, method, op };
      throw new Error(`no operation ${id}`);
    };
    const login = operation('Auth_login');
    expect(login.op.security).toEqual([]);
    const credentials = { ...login.op.requestBody.content['application/json'].example, password: PASSWORD };
    const session = await t.http()[login.method as 'post'](login.path).send(credentials).expect(200);

    const [scheme] = Object.keys(doc.security[0]);
    const { type, scheme: httpScheme } = doc.components.securitySchemes[scheme!];
    expect([type, httpScheme]).toEqual(['http', 'bearer']);
    const authorization = `Bearer ${session.body.accessToken}`;

    const create = operation('Documents_create');
    const example = create.op.requestBody.content['application/json'].example;
    const created = await t.http()[create.method as 'post'](create.path).set('Authorization', authorization).send(example);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: example.title, state: 'draft', version: 1 });
    // The same request without what the document asks for is refused as it documents.
    await t.http()[create.method as 'post'](create.path).send(example).expect(401);
    expect(Object.keys(create.op.responses)).toContain('401');
  });

  it('shows on the main reads an example with the fields of a real answer at the same moment (a report submitted, read by its counsel)', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as Json;
    const example = (path: string) => doc.paths[path].get.responses['200'].content['application/json'].example;
    const drafter = bearer(await t.token('drafter'));
    const counsel = bearer(await t.token('counsel'));
    const created = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '市科技局2025年度法治政府建设情况报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE }).expect(201);
    await t.http().post(`/api/documents/${created.body.id}/actions`).set(drafter).send({ action: 'submit', expectedVersion: 1 }).expect(200);
    const read = await t.http().get(`/api/documents/${created.body.id}`).set(counsel).expect(200);
    expect(shapeOf(example('/api/documents/{id}'))).toEqual(shapeOf(read.body));
    expect(example('/api/documents/{id}')).toMatchObject({ state: read.body.state, version: read.body.version, allowedActions: read.body.allowedActions.map(({ action }: Json) => ({ action })) });
    const inbox = await t.http().get('/api/tasks').set(counsel).expect(200);
    expect(shapeOf(example('/api/tasks'))).toEqual(shapeOf(inbox.body));
  });
});
