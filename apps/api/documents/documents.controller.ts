import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { isBuiltInEvent, type BuiltInEvent } from '@shenpi/chains';
import { isCalendarDate, validationFailed, type Principal } from '@shenpi/domain';
import { Engine, MAX_INT, type IdempotencyClaim } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { DiagramQuery } from '../http/diagram.query.js';
import { DocumentVisibleGuard } from '../http/access.guards.js';
import { Idempotent, IdempotencyKey } from '../http/idempotency.js';
import { ClockOperationDto, type ClockOperation } from './clock.dto.js';
import { UrgeDto } from './urge.dto.js';
import { CopyDto, CreateDocumentDto, DocumentActionDto, DocumentVersionQuery, ListDocumentsQuery, UpdateDocumentDto } from './document.dto.js';
import { DOCUMENT_EXAMPLE } from '../openapi/examples.js';
import { ApiDoc } from '../openapi/route-doc.js';

/** The engine's built-in events are not actions on the document: where each is taken instead. */
const OWN_ROUTES: Record<BuiltInEvent, string> = {
  edit: 'PATCH /api/documents/:id',
  attach: 'POST /api/documents/:id/attachments',
  delegate: 'POST /api/tasks/:id/delegate',
  'add-signer': 'POST /api/tasks/:id/add-signer',
  reassign: 'POST /api/users/:id/reassign-tasks',
};

@Controller('api/documents')
export class DocumentsController {
  constructor(private readonly engine: Engine) {}

  @ApiDoc({ summary: 'Create a document on a chain (its first step)', ok: 'Document', errors: [403, 404, 409, 422], examples: { request: { chain: 'annual-report', title: '2026年度法治政府建设情况报告', year: 2026, departmentId: 'city-sti', content: '' } } })
  @Post()
  @Idempotent('document')
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateDocumentDto, @IdempotencyKey() idempotency?: IdempotencyClaim) {
    const doc = await this.engine.createDocument.execute({ principal, ...body, idempotency });
    return this.engine.documentReadModel.document(principal, doc.id);
  }

  @ApiDoc({ summary: 'The documents the caller may see', ok: 'DocumentPage' })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() q: ListDocumentsQuery) {
    const { cursor, limit, ...filter } = q;
    return this.engine.documentReadModel.documents(principal, filter, cursor, limit ?? 50);
  }

  @ApiDoc({ summary: 'A document with its content, open tasks and the caller\'s allowed actions', ok: 'Document', errors: [404], examples: { response: DOCUMENT_EXAMPLE } })
  @Get(':id')
  @UseGuards(DocumentVisibleGuard)
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.documentReadModel.document(principal, id);
  }

  @ApiDoc({ summary: 'Edit a document (drafter, in an editable step)', ok: 'Document', errors: [403, 404, 409, 422] })
  @Patch(':id')
  @UseGuards(DocumentVisibleGuard)
  @Idempotent('document')
  async update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: UpdateDocumentDto, @IdempotencyKey() idempotency?: IdempotencyClaim) {
    const { expectedVersion, ...edit } = body;
    if (edit.title === undefined && edit.content === undefined && edit.fields === undefined) {
      throw validationFailed([{ field: 'body', reason: 'give title, content or fields to change' }]);
    }
    await this.engine.transition.execute({ documentId: id, action: 'edit', principal, expectedVersion, edit, idempotency });
    return this.engine.documentReadModel.document(principal, id);
  }

  @ApiDoc({ summary: 'Take an action on a document (submit, withdraw, record-disclosure, …)', description: '`disclosure` is required for `record-disclosure`. Decisions on tasks go through POST /api/tasks/{id}/decision.', ok: 'Document', errors: [403, 404, 409, 422], examples: { request: { action: 'submit', expectedVersion: 1 } } })
  @Post(':id/actions')
  @HttpCode(200)
  @UseGuards(DocumentVisibleGuard)
  @Idempotent('document-summary')
  async act(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: DocumentActionDto, @IdempotencyKey() idempotency?: IdempotencyClaim) {
    const ownRoute = isBuiltInEvent(body.action) ? OWN_ROUTES[body.action] : undefined;
    if (ownRoute) throw validationFailed([{ field: 'action', reason: `"${body.action}" has its own route: ${ownRoute}` }]);
    if (body.disclosure && !isCalendarDate(body.disclosure.publishedOn)) {
      throw validationFailed([{ field: 'disclosure.publishedOn', reason: 'not a calendar date' }]);
    }
    const { document, written } = await this.engine.transition.execute({ documentId: id, principal, ...body, idempotency });
    return this.engine.documentReadModel.documentAsWritten(principal, document, false, written);
  }

  /** Statutory clock of the current step: pause/resume, restart (补正), extension requested and decided. */
  @ApiDoc({ summary: 'Operate the statutory clock of the current step', description: '`reason` is required except to resume; `workingDays` (1–60) to request an extension.', ok: 'Document', errors: [403, 404, 409] })
  @Post(':id/clock')
  @HttpCode(200)
  @UseGuards(DocumentVisibleGuard)
  async clock(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: ClockOperationDto) {
    const clocks = this.engine.statutoryClocks;
    const reason = body.reason ?? '';
    const run: Record<ClockOperation, () => Promise<unknown>> = {
      pause: () => clocks.pause(principal, id, reason),
      resume: () => clocks.resume(principal, id),
      restart: () => clocks.restart(principal, id, reason),
      'request-extension': () => clocks.requestExtension(principal, id, body.workingDays!, reason),
      'approve-extension': () => clocks.decideExtension(principal, id, true, reason),
      'reject-extension': () => clocks.decideExtension(principal, id, false, reason),
    };
    await run[body.operation]();
    return this.engine.documentReadModel.document(principal, id, false);
  }

  /** 催办: remind whoever holds the document's open tasks, now. */
  @ApiDoc({ summary: 'Urge (催办) whoever holds the open tasks', ok: 'Urged', errors: [403, 404, 409, 429] })
  @Post(':id/urge')
  @HttpCode(200)
  @UseGuards(DocumentVisibleGuard)
  async urge(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: UrgeDto) {
    const { recipients } = await this.engine.urge.execute(principal, id, body.comment ?? '');
    return { notified: recipients.length };
  }

  /** 抄送: copy the document to colleagues (read-only); they are notified. */
  @ApiDoc({ summary: 'Copy (抄送) the document to colleagues, read-only', ok: 'Copied', errors: [403, 404, 409] })
  @Post(':id/copies')
  @HttpCode(200)
  @UseGuards(DocumentVisibleGuard)
  copy(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: CopyDto) {
    return this.engine.copies.copy(principal, id, body.userIds, body.comment ?? '');
  }

  @ApiDoc({ summary: 'Who the document was copied to', ok: 'CopyList', errors: [404] })
  @Get(':id/copies')
  @UseGuards(DocumentVisibleGuard)
  copies(@Param('id') id: string) {
    return this.engine.documentReadModel.copies(id);
  }

  /** What the document said at a version (reviewers compare the version they returned with the one that came back). */
  @ApiDoc({ summary: 'The document\'s text at a version, with a redline against another (?diff=)', ok: 'DocumentVersion', errors: [404] })
  @Get(':id/versions/:v')
  @UseGuards(DocumentVisibleGuard)
  version(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('v') v: string, @Query() q: DocumentVersionQuery) {
    if (!/^[1-9]\d{0,15}$/.test(v) || Number(v) > MAX_INT) throw validationFailed([{ field: 'v', reason: 'must be a whole number from 1' }]);
    return this.engine.documentReadModel.version(principal, id, Number(v), q.diff);
  }

  @ApiDoc({ summary: 'The document\'s audit history', ok: 'History', errors: [404] })
  @Get(':id/history')
  @UseGuards(DocumentVisibleGuard)
  history(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.documentReadModel.history(principal, id);
  }

  /** The document's history with RFC 9162 inclusion proofs in one signed tree head: `shenpi audit verify-bundle` checks it offline. */
  @ApiDoc({ summary: 'The history with inclusion proofs in one signed tree head (checked offline)', ok: 'ProofBundle', errors: [404] })
  @Get(':id/proof-bundle')
  proofBundle(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.documentReadModel.proofBundle(principal, id);
  }

  /** Transitions with actor, role and on whose behalf; each stay in a step, its duration and deadline. */
  @ApiDoc({ summary: 'Transitions and each stay in a step with its deadline', ok: 'Timeline', errors: [404] })
  @Get(':id/timeline')
  @UseGuards(DocumentVisibleGuard)
  timeline(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.documentReadModel.timeline(principal, id);
  }

  @ApiDoc({ summary: 'The chain as a Mermaid diagram with the current state marked', ok: 'Diagram', errors: [404] })
  @Get(':id/diagram')
  @UseGuards(DocumentVisibleGuard)
  diagram(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() q: DiagramQuery) {
    return this.engine.documentReadModel.diagram(principal, id, q.lang);
  }
}
