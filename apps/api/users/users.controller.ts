import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { isUuid, notFound, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { ReassignTasksDto, UsersQuery } from './user.dto.js';

@Controller('api/users')
export class UsersController {
  constructor(private readonly engine: Engine) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() q: UsersQuery) {
    const enabled = q.enabled === undefined ? undefined : q.enabled === 'true';
    return this.engine.directoryReadModel.users(principal, { role: q.role, departmentId: q.departmentId, enabled }, q.cursor, q.limit ?? 50);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.directoryReadModel.user(principal, id);
  }

  /** 离职交接 (administrators): every open task addressed to this user by name goes to `toUserId`. */
  @Post(':id/reassign-tasks')
  @HttpCode(200)
  reassign(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: ReassignTasksDto) {
    if (!isUuid(id)) throw notFound('user');
    return this.engine.substitutes.reassignAll(principal, id, body.toUserId, body.comment ?? '');
  }
}
