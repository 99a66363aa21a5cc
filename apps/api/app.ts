import { NestFactory } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import type { Engine } from '@shenpi/engine';
import { createLogger, type Logger, type Metrics } from '@shenpi/observability';
import { WorkingCalendar } from '@shenpi/scheduling';
import { API_CONTROLLERS, AppModule } from './app.module.js';
import { AuthSettings } from './auth/auth-settings.js';
import { principalOf } from './auth/auth.guard.js';
import { Readiness } from './health/readiness.js';
import { registerBodyGate } from './http/body-gate.js';
import { NestJsonLogger } from './http/nest-logger.js';
import { registerRequestLog, requestIdOf } from './http/request-log.js';
import { registerQueueDashboard } from './queues/queue-dashboard.js';
import { BARE_SECURITY_HEADERS, clientErrorResponse, frameworkErrorBody } from './http/error-response.js';
import { SECURITY_HEADERS } from './http/security-headers.js';
import type { ApiConfig } from './config.js';
import { hasWebBuild, registerWebStatic } from './web-static.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { wakeStreams } from './notifications/notification-stream.js';

/** Builds the HTTP app on Fastify around an open engine; main.ts and the e2e tests both use it. */
export interface AppOptions {
  /** The JSON log (a line per request, Nest's warnings and errors); default: stdout at LOG_LEVEL. */
  logger?: Logger;
  /** The process's metrics: HTTP latency is observed per request when given. */
  metrics?: Metrics;
  /** REDIS_URL: readiness pings it. */
  redisUrl?: string;
  /** The BullMQ queues shown on the admins' dashboard (/admin/queues); none: no dashboard. */
  queues?: readonly Queue[];
  /** The working-day calendar; defaults to the packaged years plus `calendar/` year files. */
  calendar?: WorkingCalendar;
  /** The Swagger UI needs @fastify/static, which jest's CommonJS loader cannot require; JSON is always served. */
  swaggerUi?: boolean;
  /** The built web UI (dist/web) to serve at `/`, when that folder holds a build. */
  webRoot?: string;
}

export async function createApp(
  engine: Engine,
  config: Pick<ApiConfig, 'jwtSecret' | 'jwtTtlSeconds' | 'bodyLimitBytes'> & Partial<Pick<ApiConfig, 'trustProxy'>>,
  { logger = createLogger(), metrics, redisUrl, queues = [], swaggerUi = true, calendar = WorkingCalendar.load('calendar'), webRoot }: AppOptions = {},
) {
  const adapter = new FastifyAdapter({
    // The caller's X-Request-Id when it is a plain token, else a new one; echoed on the answer.
    requestIdHeader: false,
    genReqId: requestIdOf,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy ?? false,
    // JSON.parse keeps `__proto__` and `constructor` as own keys; the validation pipe refuses them
    // (and every other inherited name) at any depth, naming the field, before anything copies the
    // body. Fastify's 'error' would refuse only these two, as "not valid JSON", without the path.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    frameworkErrors: (error: { code?: string; statusCode?: number; message: string }, req: FastifyRequest, reply: FastifyReply) => {
      const body = frameworkErrorBody(error, !!req.headers.authorization);
      // This replaces the adapter's handler, which would have added the security headers.
      void reply.code(body.statusCode).headers(BARE_SECURITY_HEADERS).send(body);
    },
    clientErrorHandler: (error, socket) => {
      if (socket.writable) socket.end(clientErrorResponse(error as { code?: string }));
    },
  });
  const auth = new AuthSettings(config.jwtSecret, config.jwtTtlSeconds);
  // Open notification streams of this process hear of what its feed wrote at once (others poll).
  engine.notificationFeed.onNotified = wakeStreams;
  const readiness = new Readiness(engine, redisUrl);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forEngine(engine, auth, calendar, readiness), adapter, { logger: new NestJsonLogger(logger) });
  app.useSecurityHeaders(SECURITY_HEADERS);
  // JSON up to BODY_LIMIT_BYTES anywhere; files (raw bytes, up to the attachment limit) only on
  // upload routes and only from a caller the token names, checked before the body is read.
  const fastify = app.getHttpAdapter().getInstance();
  registerRequestLog(fastify, logger, metrics);
  fastify.addHook('onClose', async () => readiness.close());
  registerBodyGate(fastify, {
    maxUploadBytes: engine.attachments.store.settings.maxBytes,
    // The auth guard's check, run before the body is read; the guard runs again after.
    authenticated: async (req) => !!(await principalOf(req.headers.authorization ?? '', engine, auth)),
  });
  if (queues.length) await registerQueueDashboard(fastify, queues, (req) => principalOf(req.headers.authorization ?? '', engine, auth));
  if (webRoot && hasWebBuild(webRoot)) registerWebStatic(fastify, webRoot);
  const document = buildOpenApiDocument(API_CONTROLLERS) as unknown as OpenAPIObject;
  SwaggerModule.setup('api/docs', app, document, { swaggerUiEnabled: swaggerUi });
  return app;
}
