import { Logger } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { unsupportedMediaType } from '@shenpi/domain';
import { bodyForStatus } from './error-response.js';
import { routeOf } from './request-log.js';

/**
 * Bodies are judged by their headers before a byte of them is read. A JSON body (up to
 * BODY_LIMIT_BYTES, Fastify's own limit) is taken on any route but an upload; a file's own media
 * type only on an upload route, and there only from a caller whose token is good, since an upload
 * may be as large as ATTACHMENT_MAX_BYTES. Everything else is 415 UNSUPPORTED_MEDIA_TYPE naming
 * `content-type` and why, and the unread body is discarded by Node as it arrives, never buffered.
 */

/** Media types a file may be uploaded as: never one a browser would run (HTML, SVG, any other `+xml`). */
const UPLOAD_TYPES = /^(application\/(octet-stream|pdf|zip|ofd|msword|vnd\.[\w.+-]+)|image\/[\w.+-]+|text\/plain)$/;
const ACTIVE_TYPES = /(\+|\/)(xml|html)$/;

/** The media type of a content-type header, lower-cased and without parameters (`''` when absent). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Whether a media type is one files are accepted as (and so served as, on download). */
export function isUploadType(type: string): boolean {
  return UPLOAD_TYPES.test(type) && !ACTIVE_TYPES.test(type);
}

const UPLOAD_ROUTE = 'shenpiUpload';

/** Marks a route that takes a file as its raw body (see registerBodyGate). */
export const UploadRoute = () => RouteConfig({ [UPLOAD_ROUTE]: true });

/** Whether the request carries a body to read (GET and HEAD bodies are never parsed). */
function hasBody(req: FastifyRequest): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export interface BodyGateOptions {
  /** Whether the request's bearer token names a current user (the auth guard's check, run early). */
  authenticated(req: FastifyRequest): Promise<boolean>;
  /** The largest upload (ATTACHMENT_MAX_BYTES). */
  maxUploadBytes: number;
}

/** Installs the gate (an onRequest hook: before parsing) and the raw-bytes parser behind it. */
export function registerBodyGate(fastify: FastifyInstance, { authenticated, maxUploadBytes }: BodyGateOptions): void {
  const logger = new Logger('http');
  const refuse = (reply: FastifyReply, reason: string) => {
    const refusal = unsupportedMediaType(reason);
    return reply.code(415).send(bodyForStatus(415, refusal.message, refusal.details));
  };

  fastify.addHook('onRequest', async (req, reply) => {
    if (!hasBody(req)) return;
    const type = mediaType(req.headers['content-type']);
    if ((req.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[UPLOAD_ROUTE] !== true) {
      return type === 'application/json' ? undefined : refuse(reply, 'expected application/json');
    }
    if (!(await authenticated(req))) {
      // As the auth guard answers (and logs) an anonymous request, but before the file is read. The
      // route's pattern, never the URL: its query carries the file's name (or a token, pasted there).
      logger.warn({ msg: 'refused: upload without a valid token', reqId: req.id, method: req.method, route: routeOf(req), status: 401, ip: req.ip ?? null });
      return reply.code(401).send(bodyForStatus(401, 'a valid bearer token is required'));
    }
    // JSON included: a file is sent as its own bytes, never inside a JSON body.
    if (!isUploadType(type)) return refuse(reply, `${type || 'none'} is not accepted for a file (e.g. application/pdf, image/png, text/plain; never HTML, SVG or XML)`);
  });

  // Only upload routes get this far with a type other than JSON: their bytes, up to the attachment limit.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxUploadBytes }, (_req, body, done) => done(null, body));
}
