import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerWebStatic, resolveWebPath } from '../../apps/api/web-static.js';

/**
 * apps/api/web-static.ts on a bare Fastify with a built-UI folder next to a secret file: files with
 * their content types, index.html for client routes, /api/* left to the not-found handler, and no
 * way out of the folder (raw `..`, encoded `%2e%2e` and `%2f`, backslashes, NUL, dot files).
 */
let dir: string;
let app: FastifyInstance;
let base: { host: string; port: number };

/** A raw request: the path goes out exactly as written (fetch would normalise `..`). */
function get(path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ ...base, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shenpi-web-static-'));
  const web = join(dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET');
  writeFileSync(join(web, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(join(web, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(web, 'assets', 'app-1234.css'), 'body{}');
  writeFileSync(join(web, '.source-hash'), 'hash');
  app = Fastify();
  app.setNotFoundHandler((req, reply) => void reply.code(404).send({ statusCode: 404, code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}` }));
  registerWebStatic(app, web);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = { host: '127.0.0.1', port: (app.server.address() as AddressInfo).port };
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

test('serves files with their content types, and index.html at / and for client routes', async () => {
  expect(await get('/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: expect.stringContaining('id="app"') });
  expect(await get('/documents/0190-abc?task=1')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
  expect(await get('/assets/app-1234.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', body: 'console.log(1)' });
  expect(await get('/assets/app-1234.css')).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' });
  expect((await get('/assets/missing.js')).status).toBe(404);
});

test('leaves /api/* and /health to the API (its JSON 404)', async () => {
  for (const path of ['/api/nope', '/api', '/api/documents/x/y/z', '/health']) {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'NOT_FOUND' });
  }
});

test.each([
  '/../secret.txt',
  '/assets/../../secret.txt',
  '/%2e%2e/secret.txt',
  '/%2E%2E/secret.txt',
  '/assets/..%2f..%2fsecret.txt',
  '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
  '/..%5csecret.txt',
  '/assets%00/app-1234.js',
  '/%',
  '/.source-hash',
])('refuses %s', async (path) => {
  const res = await get(path);
  // 404 from the handler; Fastify answers a malformed URL (`/%`) with 400 before any route.
  expect([400, 404]).toContain(res.status);
  expect(res.body).not.toContain('TOP-SECRET');
});

test('resolveWebPath never leaves the folder', () => {
  const root = join(dir, 'web');
  expect(resolveWebPath(root, '/assets/app-1234.js')).toBe(join(root, 'assets/app-1234.js'));
  expect(resolveWebPath(root, '/a/%2e%2e/%2e%2e/secret.txt')).toBeNull();
  expect(resolveWebPath(root, '/a\\..\\..\\secret.txt')).toBeNull();
  expect(resolveWebPath(root, '/%E0%A4%A')).toBeNull();
});
