import { Controller, Get, Query, Res } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@shenpi/domain';
import { Engine, overviewCsv } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { ApiDoc } from '../openapi/route-doc.js';

export class OverviewQuery {
  @MaxLength(64) @Matches(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { message: 'chain must be a chain key in kebab-case (a-z, 0-9, single dashes)' }) chain: string;
  @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year: number;
  /** `json` (default) or `csv` (UTF-8 with a byte-order mark, for spreadsheets). */
  @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

/**
 * Supervision (督察): supervisors (over a department, or a rule-of-law office and the departments
 * reporting to it) and global administrators; anyone else gets 403. Shape: SupervisionReport in
 * libs/engine/supervision.ts.
 */
@Controller('api/supervision')
export class SupervisionController {
  constructor(private readonly engine: Engine) {}

  /** Each department's document of a chain and year against the chain's statutory dates. */
  @ApiDoc({ summary: 'Each department\'s document of a chain and year against the statutory dates', ok: 'Overview', okContent: { 'text/csv': { type: 'string' } }, errors: [403, 404] })
  @Get('overview')
  async overview(@CurrentPrincipal() principal: Principal, @Query() q: OverviewQuery, @Res({ passthrough: true }) res: FastifyReply) {
    const overview = await this.engine.supervision.overview(principal, q.chain, q.year);
    if (q.format !== 'csv') return overview;
    res
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="supervision-overview-${q.chain}-${q.year}.csv"`);
    return overviewCsv(overview);
  }
}
