import { Controller, Get, Query } from '@nestjs/common';
import type { Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { PageQuery } from '../http/page.query.js';
import { ApiDoc } from '../openapi/route-doc.js';

/** 抄送给我的: what colleagues copied to the caller (read-only), whatever the caller's notification settings. */
@Controller('api/me/copies')
export class CopiesReceivedController {
  constructor(private readonly engine: Engine) {}

  @ApiDoc({ summary: 'Documents copied (抄送) to the caller, newest first', ok: 'CopiesReceived' })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() q: PageQuery) {
    return this.engine.documentReadModel.copiesReceived(principal, q.cursor, q.limit ?? 50);
  }
}
