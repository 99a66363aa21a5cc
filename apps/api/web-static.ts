import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Serves the built web UI (apps/web → dist/web) at `/`, with index.html for client routes.
 * `/api/*` and `/health` are never answered here: an unknown API path still gets the API's JSON 404.
 * Written by hand (not @fastify/static, which jest's loader cannot require): no directory listing,
 * no dot files, and any path that would leave the folder — `..`, encoded or not, backslashes,
 * NUL — is refused with 404.
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** True when `dir` holds a built UI (an index.html). */
export function hasWebBuild(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

/** The file under `root` that `urlPath` names, or null when the path is malformed or leaves `root`. */
export function resolveWebPath(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const segments = path.split('/');
  if (segments.some((s) => s === '..' || (s.startsWith('.') && s !== '.' && s !== ''))) return null;
  const file = resolve(root, '.' + path);
  const rel = relative(root, file);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  return file;
}

const isApiPath = (url: string) => /^\/(api|health)(\/|\?|$)/.test(url);

export function registerWebStatic(fastify: FastifyInstance, dir: string): void {
  const root = resolve(dir);
  const notFound = (reply: FastifyReply) => reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.raw.url ?? '/';
    if (isApiPath(url)) return reply.callNotFound();
    const file = resolveWebPath(root, url);
    if (!file) return notFound(reply);
    let target = file;
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) {
      // A missing file with an extension is a 404; anything else is a client route of the single-page app.
      if (extname(file) && !stat) return notFound(reply);
      target = join(root, 'index.html');
    }
    const body = await readFile(target).catch(() => null);
    if (!body) return notFound(reply);
    const type = TYPES[extname(target)] ?? 'application/octet-stream';
    // Hashed assets never change; index.html must be read afresh to pick up a new build.
    const cache = relative(root, target).startsWith('assets') ? 'public, max-age=31536000, immutable' : 'no-cache';
    // The security headers (CSP, nosniff, no framing) come from app.useSecurityHeaders, as on every response.
    return reply.code(200).header('content-type', type).header('cache-control', cache).send(body);
  };
  fastify.get('/', handler);
  fastify.get('/*', handler);
}
