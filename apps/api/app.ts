import { NestFactory } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Engine } from '@shenpi/engine';
import { WorkingCalendar } from '@shenpi/scheduling';
import { AppModule } from './app.module.js';
import { AuthSettings } from './auth/auth-settings.js';
import { clientErrorResponse, frameworkErrorBody } from './http/error-response.js';
import type { ApiConfig } from './config.js';
import { hasWebBuild, registerWebStatic } from './web-static.js';

/** Media types accepted as attachment uploads (raw body). */
export const UPLOAD_TYPES = /^(application\/(octet-stream|pdf|zip|ofd|msword|vnd\.[\w.+-]+)|image\/[\w.+-]+|text\/plain)(;.*)?$/;

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
  config: Pick<ApiConfig, 'jwtSecret' | 'jwtTtlSeconds' | 'bodyLimitBytes'>,
  { logger = true, swaggerUi = true, calendar = WorkingCalendar.load('calendar'), webRoot }: AppOptions = {},
) {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    frameworkErrors: (error: { code?: string; statusCode?: number; message: string }, req: FastifyRequest, reply: FastifyReply) => {
      const body = frameworkErrorBody(error, !!req.headers.authorization);
      void reply.code(body.statusCode).send(body);
    },
    clientErrorHandler: (error, socket) => {
      if (socket.writable) socket.end(clientErrorResponse(error as { code?: string }));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forEngine(engine, new AuthSettings(config.jwtSecret, config.jwtTtlSeconds), calendar),
    adapter,
    { logger: logger ? ['warn', 'error'] : ['error'] },
  );
  // Uploads are raw bytes in these media types, up to the attachment limit; JSON stays at BODY_LIMIT_BYTES.
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain'); // a .txt upload is bytes like any other file
  fastify.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: engine.attachments.store.settings.maxBytes }, (_req, body, done) => done(null, body));
  if (webRoot && hasWebBuild(webRoot)) registerWebStatic(fastify, webRoot);
  const openApi = new DocumentBuilder()
    .setTitle('Shenpi 审批链引擎')
    .setDescription('Review-chain approval engine: documents, tasks, chains, audit. Contract: API.md.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), { swaggerUiEnabled: swaggerUi });
  return app;
}
