import { Controller, Get, HttpException } from '@nestjs/common';
import { Engine } from '@shenpi/engine';
import { schedulerKindFromEnv } from '@shenpi/scheduling';
import { Public } from '../auth/principal.decorator.js';
import { ApiDoc } from '../openapi/route-doc.js';

@Controller('health')
export class HealthController {
  constructor(private readonly engine: Engine) {}

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
}
