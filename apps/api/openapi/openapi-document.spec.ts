import 'reflect-metadata';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Controller, Get, Post } from '@nestjs/common';
import { API_CONTROLLERS } from '../app.module.js';
import { buildOpenApiDocument, undocumentedRoutes } from './openapi-document.js';
import { ApiDoc } from './route-doc.js';

const document = buildOpenApiDocument(API_CONTROLLERS);
type Operation = { summary?: string; tags?: string[]; security?: unknown[]; responses: Record<string, unknown>; requestBody?: { content: Record<string, unknown> }; parameters?: { name: string; in: string }[] };
const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
);

describe('the OpenAPI document', () => {
  it('passes the standard linter with its recommended rules: no error, one known warning', async () => {
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config: await createConfig({ extends: ['recommended'] }) });
    const said = problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}`);
    // The router takes the static segment first (`migrations/{id}` is never a chain key's migrations); API.md fixes both paths.
    expect(said).toEqual(['warn no-ambiguous-paths at #/paths/~1api~1chains~1migrations~1{id}']);
  });

  it('is OpenAPI 3.1 and documents every route of every controller', () => {
    expect(document.openapi).toBe('3.1.0');
    // A route without @ApiDoc is named here (docs/architecture.md, "Documenting a new route").
    expect(undocumentedRoutes(API_CONTROLLERS)).toEqual([]);
    expect(operations.length).toBeGreaterThan(60);
    for (const { op } of operations) {
      expect(op.summary).toBeTruthy();
      expect(op.tags).toHaveLength(1);
      expect(Object.keys(op.responses).some((s) => /^2/.test(s))).toBe(true);
    }
  });

  it('asks for the bearer token everywhere but login, password change and health', () => {
    expect(document.security).toEqual([{ bearer: [] }]);
    const open = operations.filter(({ op }) => op.security?.length === 0).map(({ route }) => route);
    expect(open.sort()).toEqual(['GET /health', 'GET /health/live', 'GET /health/ready', 'POST /api/auth/login', 'POST /api/auth/password']);
    // A browser's EventSource cannot set headers: the stream takes the token in the query too.
    expect(operations.find(({ route }) => route === 'GET /api/notifications/stream')!.op.security).toEqual([{ bearer: [] }, { accessToken: [] }]);
  });

  it('derives request bodies and queries from the DTOs', () => {
    const schemas = (document.components as { schemas: Record<string, { required?: string[]; properties: Record<string, Record<string, unknown>> }> }).schemas;
    expect(schemas.CreateDocumentDto!.required).toEqual(['chain', 'title', 'year', 'departmentId']);
    expect(schemas.CreateDocumentDto!.properties.year).toEqual({ type: 'integer', minimum: 2000, maximum: 2100 });
    expect(schemas.BulkDecisionDto!.properties.items).toMatchObject({ type: 'array', minItems: 1, maxItems: 200, items: { $ref: '#/components/schemas/BulkDecisionItemDto' } });
    expect(schemas.UpdateDepartmentDto!.properties.officeId!.type).toEqual(['string', 'null']);
    // Checked only when given: optional. Required under a condition (return or reject): optional, and said so.
    expect(schemas.CreateUserDto!.required).toEqual(['username', 'displayName']);
    expect(schemas.CreateUserDto!.properties.password!.description).toBeUndefined();
    expect(schemas.DecisionDto!.required).toEqual(['decision']);
    expect(schemas.DecisionDto!.properties.comment).toMatchObject({ type: 'string', minLength: 1, maxLength: 5000, description: expect.stringMatching(/^Required in the cases/) });
    const list = operations.find(({ route }) => route === 'GET /api/documents')!.op;
    expect(list.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(['query:state', 'query:chain', 'query:year', 'query:departmentId', 'query:cursor', 'query:limit']);
  });

  it('gives every idempotent write its Idempotency-Key header and the 422 of a reused key', () => {
    const idempotent = operations.filter(({ op }) => op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')).map(({ route }) => route);
    expect(idempotent.sort()).toEqual([
      'PATCH /api/documents/{id}',
      'POST /api/documents',
      'POST /api/documents/{id}/actions',
      'POST /api/tasks/{id}/add-signer',
      'POST /api/tasks/{id}/decision',
      'POST /api/tasks/{id}/delegate',
    ]);
    for (const route of idempotent) expect(Object.keys(operations.find((o) => o.route === route)!.op.responses)).toContain('422');
  });

  it('gives every route but a GET the 415 of a body in a media type it does not take, naming content-type', () => {
    const without = operations.filter(({ route, op }) => !route.startsWith('GET ') && !op.responses['415']).map(({ route }) => route);
    expect(without).toEqual([]);
    expect(operations.filter(({ route, op }) => route.startsWith('GET ') && op.responses['415'])).toEqual([]);
    const responses = (document.components as { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> }).responses;
    expect(responses.UnsupportedMediaType!.content['application/json']!.schema.properties).toMatchObject({
      statusCode: { const: 415 },
      code: { enum: ['UNSUPPORTED_MEDIA_TYPE'] },
      details: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } },
    });
  });

  it('shows an example answer on the main reads: a document, the inbox (the linter checks each against its schema)', () => {
    const example = (route: string) => (operations.find((o) => o.route === route)!.op.responses['200'] as { content: Record<string, { example?: unknown }> }).content['application/json']!.example;
    expect(example('GET /api/documents/{id}')).toMatchObject({ state: 'legal-review', openTasks: [{ status: 'open' }], allowedActions: expect.arrayContaining([{ action: 'approve', taskId: expect.any(String) }]) });
    expect(example('GET /api/tasks')).toMatchObject({ items: [{ documentTitle: expect.any(String), step: { key: 'legal-review' } }], nextCursor: null });
  });

  it('describes an upload as raw bytes with its name and expected version in the query', () => {
    const upload = operations.find(({ route }) => route === 'POST /api/documents/{id}/attachments')!.op;
    expect(Object.keys(upload.requestBody!.content)).toEqual(['*/*']);
    expect(upload.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(['path:id', 'query:name', 'query:expectedVersion']);
  });

  it('leaves out a route nobody documented, and names it', () => {
    @Controller('api/undocumented')
    class UndocumentedController {
      @ApiDoc({ summary: 'documented', ok: 'Me' })
      @Get()
      fine() {}
      @Post(':id')
      missing() {}
    }
    expect(undocumentedRoutes([UndocumentedController])).toEqual(['POST /api/undocumented/{id} (UndocumentedController.missing)']);
    expect(buildOpenApiDocument([UndocumentedController]).paths).toEqual({ '/api/undocumented': { get: expect.objectContaining({ summary: 'documented' }) } });
  });
});
