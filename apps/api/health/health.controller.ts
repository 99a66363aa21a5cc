import { Controller, Get, HttpException, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Engine } from '@shenpi/engine';
import { schedulerKindFromEnv } from '@shenpi/scheduling';
import { Public } from '../auth/principal.decorator.js';
import { ApiDoc } from '../openapi/route-doc.js';
import { Readiness } from './readiness.js';

@Controller('health')
export class HealthController {
  constructor(
    private readonly engine: Engine,
    private readonly readiness: Readiness,
  ) {}

  /** The summary clients have always read (kept as it is). */
  @ApiDoc({ summary: 'Whether the service and its database are up', ok: 'Health', errors: [503] })
  @Public()
  @Get()
  async health() {
    try {
      await this.engine.ping();
    } catch {
      throw new HttpException({ status: 'degraded', database: 'down' }, 503);
    }
    return { status: 'ok', database: 'up', scheduler: schedulerKindFromEnv() };
  }

  /** Liveness: the process answers (it asks no dependency, so an outage elsewhere never gets it restarted). */
  @ApiDoc({ summary: 'Liveness: the process answers', ok: { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] } })
  @Public()
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Readiness: database reachable with its migrations applied, Redis reachable when configured; 503 naming what is down. */
  @ApiDoc({
    summary: 'Readiness: database, migrations and (when configured) Redis',
    description: '503 answers the same shape with `status: "unavailable"` and the dependency that is down.',
    ok: 'Readiness',
    alsoOk: { 503: 'Readiness' },
  })
  @Public()
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const { ready, ...dependencies } = await this.readiness.check();
    // Answered here, not thrown: the error filter would replace the body that names the dependency.
    if (!ready) void reply.status(503);
    return { status: ready ? 'ready' : 'unavailable', ...dependencies };
  }
}
