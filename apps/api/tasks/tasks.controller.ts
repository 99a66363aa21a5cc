import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import type { Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { TaskVisibleGuard } from '../http/access.guards.js';
import { DecisionDto, DelegateDto, InboxQuery } from './task.dto.js';

@Controller('api/tasks')
export class TasksController {
  constructor(private readonly engine: Engine) {}

  @Get()
  inbox(@CurrentPrincipal() principal: Principal, @Query() q: InboxQuery) {
    return this.engine.queries.inbox(principal, q.status ?? 'open', q.cursor, q.limit ?? 50);
  }

  @Get(':id')
  @UseGuards(TaskVisibleGuard)
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.queries.task(principal, id);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @UseGuards(TaskVisibleGuard)
  async decide(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: DecisionDto) {
    const task = await this.engine.queries.task(principal, id);
    await this.engine.transition.execute({
      documentId: task.documentId,
      taskId: id,
      principal,
      action: body.decision,
      comment: body.comment,
      returnTo: body.returnTo,
      expectedVersion: body.expectedVersion,
    });
    return this.engine.queries.document(principal, task.documentId, false);
  }

  @Post(':id/delegate')
  @HttpCode(200)
  @UseGuards(TaskVisibleGuard)
  async delegate(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: DelegateDto) {
    const task = await this.engine.queries.task(principal, id);
    const result = await this.engine.transition.execute({
      documentId: task.documentId,
      taskId: id,
      principal,
      action: 'delegate',
      delegateTo: body.toUserId,
      comment: body.comment,
      expectedVersion: body.expectedVersion,
    });
    // The delegator may no longer see the task through the inbox; they acted on it, so show it once.
    return this.engine.queries.describeTask(result.task!);
  }
}
