import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Engine } from '@shenpi/engine';
import { AppModule } from './app.module.js';
import { AuthSettings } from './auth/auth-settings.js';
import type { ApiConfig } from './config.js';
import { bodyForStatus } from './http/error-response.js';

/** Builds the HTTP app on Fastify around an open engine; main.ts and the e2e tests both use it. */
export async function createApp(engine: Engine, config: Pick<ApiConfig, 'jwtSecret' | 'jwtTtlSeconds' | 'bodyLimitBytes'>, logger = true) {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forEngine(engine, new AuthSettings(config.jwtSecret, config.jwtTtlSeconds)),
    adapter,
    { logger: logger ? ['warn', 'error'] : ['error'] },
  );
  // Errors raised before Nest routes a request (bad JSON, body too large) get the same body shape.
  app
    .getHttpAdapter()
    .getInstance()
    .setErrorHandler((error: { statusCode?: number; message: string }, _req, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      const body = bodyForStatus(status, status === 500 ? 'internal error' : error.message);
      if (status === 400) body.details = [{ field: 'body', reason: error.message }];
      void reply.status(status).send(body);
    });
  const openApi = new DocumentBuilder()
    .setTitle('Shenpi 审批链引擎')
    .setDescription('Review-chain approval engine: documents, tasks, chains, audit. Contract: API.md.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi));
  return app;
}
