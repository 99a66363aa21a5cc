import { Controller, Get, HttpException } from '@nestjs/common';
import { Engine } from '@shenpi/engine';
import { schedulerKindFromEnv } from '@shenpi/scheduling';
import { Public } from '../auth/principal.decorator.js';

@Controller('health')
export class HealthController {
  constructor(private readonly engine: Engine) {}

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
