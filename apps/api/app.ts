import { NestFactory } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { Engine } from '@shenpi/engine';
import { WorkingCalendar } from '@shenpi/scheduling';
import { API_CONTROLLERS, AppModule } from './app.module.js';
import { AuthSettings } from './auth/auth-settings.js';
import { principalOf } from './auth/auth.guard.js';
import { registerBodyGate } from './http/body-gate.js';
import { BARE_SECURITY_HEADERS, clientErrorResponse, frameworkErrorBody } from './http/error-response.js';
import { SECURITY_HEADERS } from './http/security-headers.js';
import type { ApiConfig } from './config.js';
import { hasWebBuild, registerWebStatic } from './web-static.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { wakeStreams } from './notifications/notification-stream.js';

/** Builds the HTTP app on Fastify around an open engine; main.ts and the e2e tests both use it. */
export interface AppOptions {
  logger?: boolean;
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
  { logger = true, swaggerUi = true, calendar = WorkingCalendar.load('calendar'), webRoot }: AppOptions = {},
) {
  const adapter = new FastifyAdapter({
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
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forEngine(engine, auth, calendar), adapter, { logger: logger ? ['warn', 'error'] : ['error'] });
  app.useSecurityHeaders(SECURITY_HEADERS);
  // JSON up to BODY_LIMIT_BYTES anywhere; files (raw bytes, up to the attachment limit) only on
  // upload routes and only from a caller the token names, checked before the body is read.
  const fastify = app.getHttpAdapter().getInstance();
  registerBodyGate(fastify, {
    maxUploadBytes: engine.attachments.store.settings.maxBytes,
    // The auth guard's check, run before the body is read; the guard runs again after.
    authenticated: async (req) => !!(await principalOf(req.headers.authorization ?? '', engine, auth)),
  });
  if (webRoot && hasWebBuild(webRoot)) registerWebStatic(fastify, webRoot);
  const document = buildOpenApiDocument(API_CONTROLLERS) as unknown as OpenAPIObject;
  SwaggerModule.setup('api/docs', app, document, { swaggerUiEnabled: swaggerUi });
  return app;
}
