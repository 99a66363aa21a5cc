import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { isRole, isUuid, notFound, validationFailed, type Principal } from '@shenpi/domain';
import { administratorOf, Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { CreateUserDto, DisableUserDto, GrantRoleDto, ReassignTasksDto, RevokeRoleQuery, SupervisionDto, UpdateUserDto, UsersQuery } from './user.dto.js';

/**
 * Users: anyone lists the users of their departments (to choose a delegate or a substitute);
 * administrators create, rename, disable and enable them, grant and take away roles and set whom a
 * supervisor oversees (global administrators everywhere, department administrators within their
 * department). The rules are the engine's (organisation-authority.ts, organisation.use-case.ts).
 */
@Controller('api/users')
export class UsersController {
  constructor(private readonly engine: Engine) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() q: UsersQuery) {
    const enabled = q.enabled === undefined ? undefined : q.enabled === 'true';
    return this.engine.directoryReadModel.users(principal, { role: q.role, departmentId: q.departmentId, enabled }, q.cursor, q.limit ?? 50);
  }

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto) {
    return this.engine.organisation.createUser(administratorOf(principal, 'create-user'), body);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.directoryReadModel.user(principal, id);
  }

  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: UpdateUserDto) {
    return this.engine.organisation.updateUser(administratorOf(principal, 'update-user'), userId(id), body);
  }

  /** Logins end at once; the open tasks the user holds by name are handed on (or listed, with why). */
  @Post(':id/disable')
  @HttpCode(200)
  disable(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: DisableUserDto) {
    return this.engine.organisation.disableUser(administratorOf(principal, 'disable-user'), userId(id), body.comment);
  }

  @Post(':id/enable')
  @HttpCode(200)
  enable(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.organisation.enableUser(administratorOf(principal, 'enable-user'), userId(id));
  }

  @Post(':id/roles')
  grant(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: GrantRoleDto) {
    return this.engine.organisation.grantRole(administratorOf(principal, 'grant-role'), userId(id), { role: body.role, departmentId: body.departmentId ?? null }, body.comment);
  }

  @Delete(':id/roles/:role')
  revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('role') role: string, @Query() q: RevokeRoleQuery) {
    if (!isRole(role)) throw validationFailed([{ field: 'role', reason: `unknown role: ${role}` }]);
    return this.engine.organisation.revokeRole(administratorOf(principal, 'revoke-role'), userId(id), { role, departmentId: q.departmentId ?? null });
  }

  @Put(':id/supervision')
  supervise(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: SupervisionDto) {
    return this.engine.organisation.setSupervision(administratorOf(principal, 'set-supervision'), userId(id), body.departmentIds);
  }

  /** 离职交接 (administrators): every open task addressed to this user by name goes to `toUserId`. */
  @Post(':id/reassign-tasks')
  @HttpCode(200)
  reassign(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: ReassignTasksDto) {
    return this.engine.substitutes.reassignAll(principal, userId(id), body.toUserId, body.comment ?? '');
  }
}

/** A malformed id is a user that does not exist (API.md). */
function userId(id: string): string {
  if (!isUuid(id)) throw notFound('user');
  return id;
}
