import { Controller, Get, Param } from '@nestjs/common';
import { Engine } from '@shenpi/engine';

/** Read side of chains; validate and publish arrive with the chains issue. */
@Controller('api/chains')
export class ChainsController {
  constructor(private readonly engine: Engine) {}

  @Get()
  list() {
    return this.engine.queries.chainList();
  }

  @Get(':key/versions/:version')
  version(@Param('key') key: string, @Param('version') version: string) {
    return this.engine.queries.chainVersion(key, /^\d{1,10}$/.test(version) ? Number(version) : -1);
  }
}
