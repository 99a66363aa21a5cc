import { bearer, useApp } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';

/**
 * What a new user hears over HTTP when a field is missing, of the wrong type or out of range, or
 * when the body is not an object: 400 VALIDATION_FAILED naming each field with the constraint it
 * really breaks, in API.md's error shape; a chain definition's findings likewise, in both languages.
 * (apps/api/http/validation-reasons.spec.ts walks every DTO and every class of a chain definition.)
 */
describe('validation reasons over HTTP', () => {
  const t = useApp();
  let headers: Record<string, string>;
  const report = { chain: 'annual-report', title: '市科技局2025年度法治政府建设情况报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE };
  const documentCount = async () => Number((await t.engine.database.reader.one<{ n: number }>('SELECT COUNT(*) AS n FROM documents'))!.n);

  beforeAll(async () => {
    headers = bearer(await t.token('drafter'));
  });

  /** Creates a document from `body` (a JSON text or a value), expects 400 and that nothing was created; the error body. */
  async function refusedCreate(body: unknown) {
    const before = await documentCount();
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await t.http().post('/api/documents').set(headers).set('content-type', 'application/json').send(text);
    expect(await documentCount()).toBe(before);
    return res;
  }

  it('a missing title is "title is required", in the error shape of API.md', async () => {
    const { title: _, ...untitled } = report;
    const res = await refusedCreate(untitled);
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: { statusCode: 400, code: 'VALIDATION_FAILED', message: 'title: title is required', details: [{ field: 'title', reason: 'title is required' }] },
    });
  });

  it('year: missing is required, "2031" is not an integer, 2101 is out of its range', async () => {
    const { year: _, ...yearless } = report;
    expect((await refusedCreate(yearless)).body.details).toEqual([{ field: 'year', reason: 'year is required' }]);
    expect((await refusedCreate({ ...report, year: '2031' })).body.details).toEqual([{ field: 'year', reason: 'year must be an integer' }]);
    expect((await refusedCreate({ ...report, year: 2025.5 })).body.details).toEqual([{ field: 'year', reason: 'year must be an integer' }]);
    for (const year of [1999, 2101]) expect((await refusedCreate({ ...report, year })).body.details).toEqual([{ field: 'year', reason: 'year must be between 2000 and 2100' }]);
    // In range it is accepted: the refusals above were about the year alone.
    expect((await t.http().post('/api/documents').set(headers).send({ ...report, year: 2031 })).status).toBe(201);
  });

  it('several faults: one true reason for each field', async () => {
    const res = await refusedCreate({ chain: 'annual-report', title: '', year: 'x', departmentId: 'd'.repeat(65) });
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { field: 'title', reason: 'title must not be empty' },
        { field: 'year', reason: 'year must be an integer' },
        { field: 'departmentId', reason: 'departmentId must be at most 64 characters long' },
      ]),
    );
    expect(res.body.details).toHaveLength(3);
  });

  it('a body that is not a JSON object (null, [], a string, a number) gets one reason about the body', async () => {
    for (const [text, what] of [['null', 'null'], ['[]', 'an array'], [JSON.stringify([report]), 'an array'], ['"report"', 'a string'], ['2025', 'a number']]) {
      const res = await refusedCreate(text);
      expect({ text, status: res.status, code: res.body.code, details: res.body.details }).toEqual({
        text,
        status: 400,
        code: 'VALIDATION_FAILED',
        details: [{ field: 'body', reason: `body must be a JSON object, not ${what}` }],
      });
    }
    // Likewise on a route whose fields are all optional, and on one that takes a chain definition.
    const login = await t.http().post('/api/auth/login').set('content-type', 'application/json').send('null');
    expect({ status: login.status, details: login.body.details }).toEqual({ status: 400, details: [{ field: 'body', reason: 'body must be a JSON object, not null' }] });
    const lint = await t.http().post('/api/chains/validate').set(bearer(await t.token('admin'))).set('content-type', 'application/json').send('[]');
    expect({ status: lint.status, details: lint.body.details }).toEqual({ status: 400, details: [{ field: 'body', reason: 'body must be a JSON object, not an array' }] });
  });

  it('a query parameter: add=x is not an integer, add=1001 is out of range, a missing one is required', async () => {
    const calendar = (query: string) => t.http().get(`/api/calendar/working-days?${query}`).set(headers);
    expect((await calendar('from=2026-01-05&add=x')).body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'add: add must be an integer',
      details: [{ field: 'add', reason: 'add must be an integer' }],
    });
    expect((await calendar('from=2026-01-05&add=1001')).body.details).toEqual([{ field: 'add', reason: 'add must be between -1000 and 1000' }]);
    expect((await calendar('from=2026-01-05')).body.details).toEqual([{ field: 'add', reason: 'add is required' }]);
    expect((await calendar('from=2026-01-05&add=3')).status).toBe(200);
    expect((await t.http().get('/api/documents?limit=0').set(headers)).body.details).toEqual([{ field: 'limit', reason: 'limit must be between 1 and 200' }]);
  });

  it('nested fields are named by their path, each with its true reason', async () => {
    const created = await t.http().post('/api/documents').set(headers).send(report);
    expect(created.status).toBe(201);
    const act = (body: unknown) => t.http().post(`/api/documents/${created.body.id}/actions`).set(headers).send(body as object);
    expect((await act({ action: 'record-disclosure' })).body.details).toEqual([{ field: 'disclosure', reason: 'disclosure is required' }]);
    expect((await act({ action: 'record-disclosure', disclosure: 'https://a.gov.cn' })).body.details).toEqual([{ field: 'disclosure', reason: 'disclosure must be an object' }]);
    expect((await act({ action: 'record-disclosure', disclosure: {} })).body.details).toEqual([
      { field: 'disclosure.url', reason: 'url is required' },
      { field: 'disclosure.publishedOn', reason: 'publishedOn is required' },
    ]);
    const counsel = bearer(await t.token('counsel'));
    const bulk = await t.http().post('/api/tasks/bulk-decision').set(counsel).send({ items: [{ decision: 'return' }, 5] });
    expect(bulk.body.details).toEqual([
      { field: 'items[0].taskId', reason: 'taskId is required' },
      { field: 'items[0].comment', reason: 'comment is required to return or reject' },
      { field: 'items[1]', reason: 'items[1] must be an object' },
    ]);
  });

  it('a chain definition (POST /api/chains/validate and /api/chains): missing, wrong type and out of range, at their paths, in both languages', async () => {
    const admin = bearer(await t.token('admin'));
    const d = JSON.parse(JSON.stringify(annualReportChain));
    delete d.key;
    delete d.initial;
    d.steps[1].deadline = { workingDays: '5' };
    d.steps[1].reminders[0].workingDaysBefore = 366;
    d.steps[2].transitions[0].action = 'a'.repeat(65);
    delete d.steps[2].escalation.to;
    const said = (path: string, en: string, zh: string) => ({ path, reason: en, message: { zh, en } });
    const findings = [
      said('key', 'key is required', '必须填写，不能缺少'),
      said('initial', 'initial is required', '必须填写，不能缺少'),
      said('steps[1].deadline.workingDays', 'workingDays must be an integer', '须为整数'),
      said('steps[1].reminders[0].workingDaysBefore', 'workingDaysBefore must be between 0 and 365', '须在0到365之间'),
      said('steps[2].transitions[0].action', 'action must be at most 64 characters long', '最多64个字符'),
      said('steps[2].escalation.to', 'to is required', '必须填写，不能缺少'),
    ];
    const lint = await t.http().post('/api/chains/validate').set(admin).send(d);
    expect({ status: lint.status, body: lint.body }).toEqual({ status: 200, body: { valid: false, errors: findings, warnings: [] } });
    const refused = await t.http().post('/api/chains').set(admin).send(d);
    expect({ status: refused.status, code: refused.body.code, details: refused.body.details }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: findings.map(({ path, ...finding }) => ({ field: path, ...finding })),
    });
  });
});
