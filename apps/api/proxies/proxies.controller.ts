import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { notFound, isUuid, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { ApiDoc } from '../openapi/route-doc.js';

export class SetProxyDto {
  @IsUUID() substituteId: string;
  @IsISO8601({ strict: true }) startsAt: string;
  @IsISO8601({ strict: true }) endsAt: string;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

/** 代理: the caller's out-of-office windows; tasks reaching them in a window go to the substitute. */
@Controller('api/me/proxies')
export class ProxiesController {
  constructor(private readonly engine: Engine) {}

  @ApiDoc({ summary: 'The caller\'s substitutes (代理)', ok: 'ProxyList' })
  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.engine.substitutes.list(principal);
  }

  @ApiDoc({ summary: 'Name a substitute for a time window', ok: 'Proxy', errors: [403, 404, 409] })
  @Post()
  set(@CurrentPrincipal() principal: Principal, @Body() body: SetProxyDto) {
    // Stored in UTC like every time in the API.
    const utc = (s: string) => new Date(s).toISOString();
    return this.engine.substitutes.set(principal, { ...body, startsAt: utc(body.startsAt), endsAt: utc(body.endsAt) });
  }

  @ApiDoc({ summary: 'Cancel a substitute window', errors: [403, 404] })
  @Delete(':id')
  @HttpCode(204)
  async cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    if (!isUuid(id)) throw notFound('proxy');
    await this.engine.substitutes.cancel(principal, id);
  }
}
