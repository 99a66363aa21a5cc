import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { DiagramQuery } from '../http/diagram.query.js';
import type { FastifyReply } from 'fastify';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { isUuid, notFound, validationFailed, type Principal } from '@shenpi/domain';
import { ChainDefinition } from '@shenpi/chains';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { ApiDoc } from '../openapi/route-doc.js';

export class MigrationDto {
  @IsInt() @Min(1) @Max(1_000_000) toVersion: number;
  /** Old step key → new step key, for steps the new version renamed or removed. */
  @IsOptional() @IsObject() mapping?: Record<string, string>;
  /** List what would happen, change nothing. */
  @IsOptional() @IsBoolean() dryRun?: boolean;
  /** Let documents move forward past steps of the new version (422 MIGRATION_SKIPS_REVIEW otherwise); needs `reason`. */
  @IsOptional() @IsBoolean() force?: boolean;
  @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

const versionOf = (v: string) => (/^\d{1,10}$/.test(v) ? Number(v) : -1);

/** Chains: anyone reads them; administrators validate and publish new versions (steps, deadlines, reminders, escalation). */
@Controller('api/chains')
export class ChainsController {
  constructor(private readonly engine: Engine) {}

  @ApiDoc({ summary: 'The chains and their latest versions', ok: 'ChainList' })
  @Get()
  list() {
    return this.engine.chainReadModel.chainList();
  }

  @ApiDoc({ summary: 'One version of a chain with its definition', ok: 'ChainVersion', errors: [404] })
  @Get(':key/versions/:version')
  version(@Param('key') key: string, @Param('version') version: string) {
    return this.engine.chainReadModel.chainVersion(key, versionOf(version));
  }

  @ApiDoc({ summary: 'One version of a chain as a Mermaid diagram', ok: 'Diagram', errors: [404] })
  @Get(':key/versions/:version/diagram')
  diagram(@Param('key') key: string, @Param('version') version: string, @Query() q: DiagramQuery) {
    return this.engine.chainReadModel.chainDiagram(key, versionOf(version), q.lang);
  }

  /**
   * Moves running documents to `toVersion`: with `dryRun`, 200 and the plan per document; else
   * 202 and the migration's progress row, followed at GET /api/chains/migrations/:id. A mapping
   * that moves a document past a step is 422 unless `force` (global administrators, with `reason`).
   */
  @ApiDoc({ summary: 'Move running documents to another version (dryRun: the plan)', description: 'With `dryRun`, 200 and the plan per document; else 202 and the migration\'s progress, followed at GET /api/chains/migrations/{id}. `force` needs `reason`.', ok: 'MigrationPlan', alsoOk: { 202: 'MigrationProgress' }, errors: [403, 404, 409, 422] })
  @Post(':key/migrations')
  @HttpCode(200)
  async migrate(@CurrentPrincipal() principal: Principal, @Param('key') key: string, @Body() body: MigrationDto, @Res({ passthrough: true }) res: FastifyReply) {
    const mapping = body.mapping ?? {};
    const bad = Object.entries(mapping).filter(([, v]) => typeof v !== 'string');
    if (bad.length) throw validationFailed(bad.map(([k]) => ({ field: `mapping.${k}`, reason: 'must be a step key' })));
    const override = { force: body.force, reason: body.reason };
    if (body.dryRun) return this.engine.chainMigrations.dryRun(principal, key, body.toVersion, mapping, override);
    res.status(202);
    return this.engine.chainMigrations.start(principal, key, body.toVersion, mapping, override);
  }

  @ApiDoc({ summary: 'A migration\'s progress', ok: 'MigrationProgress', errors: [403, 404] })
  @Get('migrations/:id')
  migration(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    if (!isUuid(id)) throw notFound('migration');
    return this.engine.chainMigrations.progress(principal, id);
  }

  /** Lint without publishing: `{ valid, errors: [{ path, reason, message: { zh, en } }], warnings }` (warnings alike). */
  @ApiDoc({ summary: 'Check a chain definition without publishing it', body: ChainDefinition, ok: 'ChainValidation', errors: [403, 422] })
  @Post('validate')
  @HttpCode(200)
  async validate(@CurrentPrincipal() principal: Principal, @Body() definition: Record<string, unknown>) {
    return this.engine.chainPublishing.validate(principal, definition);
  }

  /** Version N+1 of the chain's key (or version 1 of a new key); running documents keep theirs. */
  @ApiDoc({ summary: 'Publish a chain definition: version N+1 of its key, or version 1 of a new key', body: ChainDefinition, ok: 'Published', errors: [403, 422] })
  @Post()
  async publish(@CurrentPrincipal() principal: Principal, @Body() definition: Record<string, unknown>) {
    const { key, version } = await this.engine.chainPublishing.publish(principal, definition);
    return { key, version };
  }
}
