import { Controller, Get, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { isCalendarDate, validationFailed } from '@shenpi/domain';
import type { Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { PageQuery } from '../http/page.query.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Stored times are UTC ISO strings: a bound is converted to one so the comparison is on instants. */
function toUtc(field: 'from' | 'to', value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms) || !isCalendarDate(value.slice(0, 10))) throw validationFailed([{ field, reason: 'not a real date or time' }]);
  return new Date(ms).toISOString();
}

export class AuditQuery extends PageQuery {
  @IsOptional() @IsUUID() documentId?: string;
  @IsOptional() @IsString() @MaxLength(64) actorId?: string;
  @IsOptional() @IsIn(['transition', 'configuration', 'security']) category?: string;
  @IsOptional() @Matches(INSTANT, { message: 'from must be a date (YYYY-MM-DD) or a timestamp with a zone' }) from?: string;
  @IsOptional() @Matches(INSTANT, { message: 'to must be a date (YYYY-MM-DD) or a timestamp with a zone' }) to?: string;
}

@Controller('api/audit')
export class AuditController {
  constructor(private readonly engine: Engine) {}

  @Get()
  search(@CurrentPrincipal() principal: Principal, @Query() q: AuditQuery) {
    const { cursor, limit, from, to, ...filter } = q;
    return this.engine.queries.auditEntries(principal, { ...filter, from: toUtc('from', from), to: toUtc('to', to) }, cursor, limit ?? 50);
  }

  @Get('verify')
  verify(@CurrentPrincipal() principal: Principal) {
    return this.engine.queries.verifyAudit(principal);
  }
}
