import { Controller, Get, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';

export class AuditQuery {
  @IsOptional() @IsUUID() documentId?: string;
  @IsOptional() @IsString() @MaxLength(64) actorId?: string;
  @IsOptional() @IsIn(['transition', 'configuration', 'security']) category?: string;
  @IsOptional() @IsISO8601() from?: string;
  @IsOptional() @IsISO8601() to?: string;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

@Controller('api/audit')
export class AuditController {
  constructor(private readonly engine: Engine) {}

  @Get()
  search(@CurrentPrincipal() principal: Principal, @Query() q: AuditQuery) {
    const { cursor, limit, ...filter } = q;
    return this.engine.queries.auditEntries(principal, filter, cursor, limit ?? 50);
  }

  @Get('verify')
  verify(@CurrentPrincipal() principal: Principal) {
    return this.engine.queries.verifyAudit(principal);
  }
}
