import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { Readable } from 'node:stream';
import { Type } from 'class-transformer';
import { IsBase64, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { AuditEntry } from '@shenpi/audit';
import { AccessDenied, BOM, csvRow, ErrorCode, isCalendarDate, isGlobalAdmin, validationFailed } from '@shenpi/domain';
import type { Principal } from '@shenpi/domain';
import { Engine, MAX_INT } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { PageQuery } from '../http/page.query.js';
import { ApiDoc } from '../openapi/route-doc.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Stored times are UTC ISO strings: a bound is converted to one so the comparison is on instants. */
function toUtc(field: 'from' | 'to', value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms) || !isCalendarDate(value.slice(0, 10))) throw validationFailed([{ field, reason: 'not a real date or time' }]);
  return new Date(ms).toISOString();
}

/** The filters the search and the export share. */
export class AuditFilterQuery extends PageQuery {
  @IsOptional() @IsUUID() documentId?: string;
  @IsOptional() @IsString() @MaxLength(64) actorId?: string;
  @IsOptional() @IsString() @MaxLength(64) departmentId?: string;
  @IsOptional() @Matches(KEBAB, { message: 'action must be a kebab-case action name' }) action?: string;
  @IsOptional() @IsIn(['transition', 'configuration', 'security']) category?: string;
  @IsOptional() @Matches(INSTANT, { message: 'from must be a date (YYYY-MM-DD) or a timestamp with a zone' }) from?: string;
  @IsOptional() @Matches(INSTANT, { message: 'to must be a date (YYYY-MM-DD) or a timestamp with a zone' }) to?: string;
}

export class AuditExportQuery extends AuditFilterQuery {
  @IsIn(['csv', 'jsonl']) format: 'csv' | 'jsonl';
}

export class CheckpointDto {
  @IsInt() @Min(1) seq: number;
  @Matches(/^[0-9a-f]{64}$/, { message: 'hash must be 64 lowercase hex digits' }) hash: string;
  @IsISO8601({ strict: true }) at: string;
  @Matches(/^[0-9a-f]{16}$/, { message: 'keyId must be 16 hex digits' }) keyId: string;
  @IsString() @MaxLength(1000) publicKey: string;
  @IsBase64() @MaxLength(200) signature: string;
}

const CSV_HEADER = [
  '序号 seq',
  '时间 at',
  '类别 category',
  '操作 action',
  '结果 result',
  '操作者类型 actor type',
  '操作者 actor id',
  '角色 role',
  '操作者部门 actor department',
  '代理 on behalf of',
  '部门 department',
  '文件 document',
  '从 from',
  '到 to',
  '详情 details',
  '前一哈希 prevHash',
  '哈希 hash',
];

const csvOf = (e: AuditEntry) =>
  csvRow([e.seq, e.at, e.category, e.action, e.result, e.actor.type, e.actor.id, e.actor.role, e.actor.departmentId, e.actor.onBehalfOf, e.departmentId, e.documentId, e.from, e.to, e.details, e.prevHash, e.hash]);

function filterOf({ documentId, actorId, departmentId, action, category, from, to }: AuditFilterQuery) {
  return { documentId, actorId, departmentId, action, category, from: toUtc('from', from), to: toUtc('to', to) };
}

/** A tree size or entry number in a query: a whole number from 1. */
const Size = () => (target: object, key: string) => {
  Type(() => Number)(target, key);
  IsInt()(target, key);
  Min(1)(target, key);
  Max(MAX_INT)(target, key);
};

export class TreeHeadsQuery {
  @IsOptional() @Size() from?: number;
  @IsOptional() @Size() to?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class InclusionQuery {
  @Size() seq: number;
  @Size() treeSize: number;
}

export class ConsistencyQuery {
  @Size() first: number;
  @Size() second: number;
}

const PEM_PUBLIC_KEY = /^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/;

/** API.md names the witness's public key `witness`; `publicKey`, the first release's name, is still read. */
export class CosignDto {
  @ValidateIf((o: CosignDto) => o.publicKey === undefined) @IsString() @MaxLength(2000) @Matches(PEM_PUBLIC_KEY, { message: 'witness must be a PEM public key' }) witness?: string;
  @IsOptional() @IsString() @MaxLength(2000) @Matches(PEM_PUBLIC_KEY, { message: 'publicKey must be a PEM public key' }) publicKey?: string;
  @IsBase64() @MaxLength(200) signature: string;
}

@Controller('api/audit')
export class AuditController {
  constructor(private readonly engine: Engine) {}

  @ApiDoc({ summary: 'Search the audit log', ok: 'AuditPage', errors: [403] })
  @Get()
  search(@CurrentPrincipal() principal: Principal, @Query() q: AuditFilterQuery) {
    return this.engine.auditReadModel.auditEntries(principal, filterOf(q), q.cursor, q.limit ?? 50);
  }

  /**
   * The entries that match, oldest first, streamed a batch at a time: CSV (UTF-8 with a BOM, for
   * Excel) or JSON Lines (one audit entry per line, as hashed). Memory stays flat at any size.
   */
  @ApiDoc({ summary: 'Export matching entries as CSV or JSON Lines (a stream)', okContent: { 'text/csv': { type: 'string' }, 'application/x-ndjson': { type: 'string' } }, errors: [403] })
  @Get('export')
  async export(@CurrentPrincipal() principal: Principal, @Query() q: AuditExportQuery, @Res() res: FastifyReply) {
    const batches = this.engine.auditReadModel.auditExport(principal, filterOf(q));
    // The first batch is read before answering, so a refusal is still an ordinary error response.
    const first = await batches.next();
    async function* lines() {
      if (q.format === 'csv') yield BOM + csvRow(CSV_HEADER);
      for (let batch = first; !batch.done; batch = await batches.next()) {
        yield batch.value.map((e) => (q.format === 'csv' ? csvOf(e) : `${JSON.stringify(e)}\n`)).join('');
      }
    }
    const stamp = new Date().toISOString().slice(0, 10);
    await res
      .header('content-type', q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${stamp}.${q.format}"`)
      .send(Readable.from(lines()));
  }

  @ApiDoc({ summary: 'Verify the whole hash chain', ok: 'AuditVerification', errors: [403] })
  @Get('verify')
  verify(@CurrentPrincipal() principal: Principal) {
    return this.engine.auditReadModel.verifyAudit(principal);
  }

  /** Signed checkpoints (Ed25519) and the public key: keep them outside the system to check it later. */
  @ApiDoc({ summary: 'Signed checkpoints and the public key', ok: 'Checkpoints', errors: [403] })
  @Get('checkpoints')
  checkpoints(@CurrentPrincipal() principal: Principal) {
    return this.engine.auditReadModel.checkpoints(principal, this.engine.checkpointSigner);
  }

  /** Signs the current head now (administrators); the service also does so periodically. */
  @ApiDoc({ summary: 'Sign a checkpoint now (administrators)', ok: 'Checkpoint', errors: [403] })
  @Post('checkpoints')
  async checkpoint(@CurrentPrincipal() principal: Principal) {
    if (!isGlobalAdmin(principal)) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only administrators sign checkpoints', { action: 'checkpoint' });
    const checkpoint = await this.engine.checkpoint();
    if (!checkpoint) throw validationFailed([{ field: 'body', reason: 'the audit log is empty' }]);
    return checkpoint;
  }

  /** The latest signed tree head of the log's Merkle tree (RFC 9162): `{ treeSize, rootHash, timestamp, keyId, suite, signature }`. */
  @ApiDoc({ summary: 'The latest signed tree head (RFC 9162)', ok: 'TreeHead', errors: [403, 404] })
  @Get('tree-head')
  treeHead(@CurrentPrincipal() principal: Principal) {
    return this.engine.auditReadModel.treeHead(principal);
  }

  @ApiDoc({ summary: 'Stored signed tree heads', ok: 'TreeHeads', errors: [403] })
  @Get('tree-heads')
  treeHeads(@CurrentPrincipal() principal: Principal, @Query() q: TreeHeadsQuery) {
    return this.engine.auditReadModel.treeHeads(principal, q.from ?? 1, q.to ?? MAX_INT, q.limit ?? 100);
  }

  /** Extends the tree to the end of the log and signs a head of it now (administrators); the service also does so periodically. */
  @ApiDoc({ summary: 'Sign a tree head now (administrators)', ok: 'TreeHead', errors: [403] })
  @Post('tree-heads')
  async signTreeHead(@CurrentPrincipal() principal: Principal) {
    if (!isGlobalAdmin(principal)) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only administrators sign tree heads', { action: 'sign-tree-head' });
    const head = await this.engine.signTreeHead();
    if (!head) throw validationFailed([{ field: 'body', reason: 'the audit log is empty' }]);
    return head;
  }

  /** A witness's signature (Ed25519 or SM2) over the tree head of that size, checked under the witness's key and kept. */
  @ApiDoc({ summary: 'A witness\'s cosignature over a tree head', description: '`witness` (the PEM public key; `publicKey`, its first name, is still read) is required.', ok: 'Cosignature', errors: [403, 404, 409] })
  @Post('tree-heads/:treeSize/cosign')
  cosign(@CurrentPrincipal() principal: Principal, @Param('treeSize') treeSize: string, @Body() body: CosignDto) {
    if (!/^[1-9]\d{0,15}$/.test(treeSize) || Number(treeSize) > MAX_INT) throw validationFailed([{ field: 'treeSize', reason: 'must be a whole number from 1' }]);
    if (body.witness !== undefined && body.publicKey !== undefined && body.witness !== body.publicKey) {
      throw validationFailed([{ field: 'publicKey', reason: 'give the witness\'s key once, as witness' }]);
    }
    return this.engine.cosignTreeHead(principal, Number(treeSize), { publicKey: (body.witness ?? body.publicKey)!, signature: body.signature });
  }

  /** RFC 9162 inclusion proof of entry `seq` (leaf `seq - 1`) in the signed tree of `treeSize` entries. */
  @ApiDoc({ summary: 'Inclusion proof of an entry in a signed tree', ok: 'InclusionProof', errors: [403, 404] })
  @Get('proofs/inclusion')
  inclusion(@CurrentPrincipal() principal: Principal, @Query() q: InclusionQuery) {
    return this.engine.auditReadModel.inclusionProof(principal, q.seq, q.treeSize);
  }

  /** RFC 9162 consistency proof between two signed tree sizes. */
  @ApiDoc({ summary: 'Consistency proof between two signed tree sizes', ok: 'ConsistencyProof', errors: [403, 404] })
  @Get('proofs/consistency')
  consistency(@CurrentPrincipal() principal: Principal, @Query() q: ConsistencyQuery) {
    return this.engine.auditReadModel.consistencyProof(principal, q.first, q.second);
  }

  /** Checks a checkpoint an auditor kept: our signature, the entry unchanged, and the chain intact since. */
  @ApiDoc({ summary: 'Check a kept checkpoint against the log', ok: 'CheckpointVerification', errors: [403] })
  @Post('checkpoints/verify')
  @HttpCode(200)
  verifyCheckpoint(@CurrentPrincipal() principal: Principal, @Body() body: CheckpointDto) {
    return this.engine.auditReadModel.verifyCheckpoint(principal, body);
  }
}
