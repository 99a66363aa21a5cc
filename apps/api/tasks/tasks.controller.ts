import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { AccessDenied, DomainError, type Principal } from '@shenpi/domain';
import { Engine, type IdempotencyClaim } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { TaskVisibleBeforeBody, TaskVisibleGuard } from '../http/access.guards.js';
import { Idempotent, IdempotencyKey } from '../http/idempotency.js';
import { STATUS_OF } from '../http/error-response.js';
import { AddSignerDto, BulkDecisionDto, DecisionDto, DelegateDto, InboxQuery } from './task.dto.js';
import { INBOX_EXAMPLE } from '../openapi/examples.js';
import { ApiDoc } from '../openapi/route-doc.js';

@Controller('api/tasks')
export class TasksController {
  constructor(private readonly engine: Engine) {}

  @ApiDoc({
    summary: 'The caller\'s inbox',
    description: '`status=open` (default): open tasks, newest first. `status=done`: tasks the caller, or a role they hold, closed with a decision, and those the caller decided, the last closed first.',
    ok: 'TaskPage',
    examples: { response: INBOX_EXAMPLE },
  })
  @Get()
  inbox(@CurrentPrincipal() principal: Principal, @Query() q: InboxQuery) {
    return this.engine.inboxReadModel.inbox(principal, q.status ?? 'open', q.cursor, q.limit ?? 50);
  }

  /** Each item in its own transaction: one refusal does not undo the others; the answer lists every item's outcome. */
  @ApiDoc({ summary: 'Many decisions at once, each answered on its own (批量审批)', ok: 'BulkDecisionResult' })
  @Post('bulk-decision')
  @HttpCode(200)
  async bulk(@CurrentPrincipal() principal: Principal, @Body() body: BulkDecisionDto) {
    const results = [];
    for (const item of body.items) {
      try {
        // A task the caller may not see is 404 from the change itself, which opens it with its document.
        const { document } = await this.engine.transition.execute({
          taskId: item.taskId,
          principal,
          action: item.decision,
          comment: item.comment,
          returnTo: item.returnTo,
          expectedVersion: item.expectedVersion,
        });
        results.push({ taskId: item.taskId, statusCode: 200, document: { id: document.id, state: document.state, version: document.version } });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const statusCode = STATUS_OF[err.code] ?? 400;
        if (err instanceof AccessDenied) await this.engine.security.refusedAccess(principal, err, { taskId: item.taskId });
        results.push({ taskId: item.taskId, statusCode, code: err.code, message: err.message, details: err.details ?? null });
      }
    }
    return { results };
  }

  @ApiDoc({ summary: 'A task', ok: 'Task', errors: [404] })
  @Get(':id')
  @UseGuards(TaskVisibleGuard)
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.inboxReadModel.task(principal, id);
  }

  @ApiDoc({ summary: 'Decide a task (approve, return, reject, or a step\'s own outcome)', description: '`comment` is required to return or reject.', ok: 'Document', errors: [403, 404, 409, 422], examples: { request: { decision: 'approve', comment: '同意', expectedVersion: 2 } } })
  @Post(':id/decision')
  @HttpCode(200)
  @Idempotent('document-summary')
  // Listed after @Idempotent: decorators apply bottom-up, so this interceptor runs outside the idempotency one.
  @UseInterceptors(TaskVisibleBeforeBody)
  async decide(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: DecisionDto, @IdempotencyKey() idempotency?: IdempotencyClaim) {
    const { document, written } = await this.engine.transition.execute({
      taskId: id,
      principal,
      action: body.decision,
      comment: body.comment,
      returnTo: body.returnTo,
      expectedVersion: body.expectedVersion,
      idempotency,
    });
    return this.engine.documentReadModel.documentAsWritten(principal, document, false, written);
  }

  @ApiDoc({ summary: 'Delegate (转交) a task to a colleague', ok: 'Task', errors: [403, 404, 409] })
  @Post(':id/delegate')
  @HttpCode(200)
  @Idempotent('task')
  // Listed after @Idempotent: decorators apply bottom-up, so this interceptor runs outside the idempotency one.
  @UseInterceptors(TaskVisibleBeforeBody)
  async delegate(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: DelegateDto, @IdempotencyKey() idempotency?: IdempotencyClaim) {
    const result = await this.engine.transition.execute({
      taskId: id,
      principal,
      action: 'delegate',
      delegateTo: body.toUserId,
      comment: body.comment,
      expectedVersion: body.expectedVersion,
      idempotency,
    });
    // The delegator may no longer see the task through the inbox; they acted on it, so show it once.
    return this.engine.inboxReadModel.describeTask(result.task!);
  }

  /** 加签: add a signer to this task's step, before or after the caller; answers with the document. */
  @ApiDoc({ summary: 'Add a signer (加签) before or after the caller', ok: 'Document', errors: [403, 404, 409] })
  @Post(':id/add-signer')
  @HttpCode(200)
  @Idempotent('document-summary')
  // Listed after @Idempotent: decorators apply bottom-up, so this interceptor runs outside the idempotency one.
  @UseInterceptors(TaskVisibleBeforeBody)
  async addSigner(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: AddSignerDto, @IdempotencyKey() idempotency?: IdempotencyClaim) {
    const { document, written } = await this.engine.transition.execute({
      taskId: id,
      principal,
      action: 'add-signer',
      addSigner: { userId: body.userId, position: body.position },
      comment: body.comment,
      expectedVersion: body.expectedVersion,
      idempotency,
    });
    return this.engine.documentReadModel.documentAsWritten(principal, document, false, written);
  }
}
