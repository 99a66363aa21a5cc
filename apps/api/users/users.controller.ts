import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { isUuid, notFound, ROLES, type Principal, type Role } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';

export class UsersQuery {
  @IsOptional() @IsIn(ROLES) role?: Role;
  @IsOptional() @IsString() @MaxLength(64) departmentId?: string;
}

export class ReassignTasksDto {
  @IsUUID() toUserId: string;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

@Controller('api/users')
export class UsersController {
  constructor(private readonly engine: Engine) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() q: UsersQuery) {
    return this.engine.directoryReadModel.users(principal, q);
  }

  /** 离职交接 (administrators): every open task addressed to this user by name goes to `toUserId`. */
  @Post(':id/reassign-tasks')
  @HttpCode(200)
  reassign(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: ReassignTasksDto) {
    if (!isUuid(id)) throw notFound('user');
    return this.engine.substitutes.reassignAll(principal, id, body.toUserId, body.comment ?? '');
  }
}
