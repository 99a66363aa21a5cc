import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '@shenpi/domain';
import type { Logger, Metrics } from '@shenpi/observability';

/** An incoming X-Request-Id is kept when it is a plain token (a proxy's or a client's id); anything else is replaced. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/;

/** Fastify's genReqId: the caller's X-Request-Id if sane, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Requests no route matched (scans, typos) share one label: raw URLs would make a series each. */
const UNMATCHED = '(unmatched)';

/**
 * What a log line or a series says of where a request went: the route's pattern
 * (`/api/documents/:id`), never the URL, whose ids and query (an EventSource's `?access_token=`) stay out.
 */
export const routeOf = (req: Pick<FastifyRequest, 'routeOptions'>): string => req.routeOptions?.url ?? UNMATCHED;

/**
 * One JSON line per answered request (reqId, userId once authenticated, method, route pattern,
 * status, ms) and its latency in the metrics. Only these fields are read: never a header, a body,
 * the query string or the raw URL, which may carry ids or a document's title.
 */
export function registerRequestLog(fastify: FastifyInstance, logger: Logger, metrics?: Metrics): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.header('x-request-id', req.id);
    done();
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = routeOf(req);
    const ms = reply.elapsedTime;
    const status = reply.statusCode;
    metrics?.observeRequest(req.method, route, status, ms);
    const userId = (req as { principal?: Principal }).principal?.id ?? null;
    logger.info({ reqId: req.id, userId, method: req.method, route, status, ms: Math.round(ms * 100) / 100 }, 'request');
    done();
  });
}
