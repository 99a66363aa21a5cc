import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { isRole, isUuid, notFound, validationFailed, type Principal } from '@shenpi/domain';
import { administratorOf, Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { CreateUserDto, DisableUserDto, GrantRoleDto, ReassignTasksDto, RevokeRoleQuery, SupervisionDto, UpdateUserDto, UsersQuery } from './user.dto.js';
import { ApiDoc } from '../openapi/route-doc.js';

/**
 * Users: anyone lists the users of their departments (to choose a delegate or a substitute);
 * administrators create, rename, disable and enable them, grant and take away roles and set whom a
 * supervisor oversees (global administrators everywhere, department administrators within their
 * department). The rules are the engine's (organisation-authority.ts, organisation.use-case.ts).
 */
@Controller('api/users')
export class UsersController {
  constructor(private readonly engine: Engine) {}

  @ApiDoc({ summary: 'Users of the caller\'s departments (all, for administrators)', ok: 'UserPage' })
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() q: UsersQuery) {
    const enabled = q.enabled === undefined ? undefined : q.enabled === 'true';
    return this.engine.directoryReadModel.users(principal, { role: q.role, departmentId: q.departmentId, enabled }, q.cursor, q.limit ?? 50);
  }

  @ApiDoc({ summary: 'Create a user (global administrators)', ok: 'CreatedUser', errors: [403, 404, 409, 422] })
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto) {
    return this.engine.organisation.createUser(administratorOf(principal, 'create-user'), body);
  }

  @ApiDoc({ summary: 'A user', ok: 'User', errors: [404] })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.directoryReadModel.user(principal, id);
  }

  @ApiDoc({ summary: 'Rename a user', ok: 'RenamedUser', errors: [403, 404] })
  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: UpdateUserDto) {
    return this.engine.organisation.updateUser(administratorOf(principal, 'update-user'), userId(id), body);
  }

  /** Logins end at once; the open tasks the user holds by name are handed on (or listed, with why). */
  @ApiDoc({ summary: 'Disable a user: logins end, open tasks handed on or listed', ok: 'UserStatus', errors: [403, 404, 409] })
  @Post(':id/disable')
  @HttpCode(200)
  disable(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: DisableUserDto) {
    return this.engine.organisation.disableUser(administratorOf(principal, 'disable-user'), userId(id), body.comment);
  }

  @ApiDoc({ summary: 'Enable a user again', ok: 'UserStatus', errors: [403, 404, 409] })
  @Post(':id/enable')
  @HttpCode(200)
  enable(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.organisation.enableUser(administratorOf(principal, 'enable-user'), userId(id));
  }

  @ApiDoc({ summary: 'Grant a role', ok: 'RoleChange', errors: [403, 404, 409] })
  @Post(':id/roles')
  grant(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: GrantRoleDto) {
    return this.engine.organisation.grantRole(administratorOf(principal, 'grant-role'), userId(id), { role: body.role, departmentId: body.departmentId ?? null }, body.comment);
  }

  @ApiDoc({ summary: 'Take a role away', ok: 'RoleChange', errors: [403, 404, 409] })
  @Delete(':id/roles/:role')
  revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('role') role: string, @Query() q: RevokeRoleQuery) {
    if (!isRole(role)) throw validationFailed([{ field: 'role', reason: `unknown role: ${role}` }]);
    return this.engine.organisation.revokeRole(administratorOf(principal, 'revoke-role'), userId(id), { role, departmentId: q.departmentId ?? null });
  }

  @ApiDoc({ summary: 'Set the departments a supervisor oversees', ok: 'SupervisionChange', errors: [403, 404, 409] })
  @Put(':id/supervision')
  supervise(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: SupervisionDto) {
    return this.engine.organisation.setSupervision(administratorOf(principal, 'set-supervision'), userId(id), body.departmentIds);
  }

  /** What a user still holds by name (global administrators): the tasks a hand-on left, to hand on. */
  @ApiDoc({ summary: 'The open tasks a user holds by name (global administrators)', ok: 'TaskList', errors: [403, 404] })
  @Get(':id/open-tasks')
  openTasks(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.engine.inboxReadModel.heldBy(principal, userId(id));
  }

  /** 离职交接 (administrators): every open task addressed to this user by name goes to `toUserId`. */
  @ApiDoc({ summary: 'Hand every open task of a user to another (离职交接)', ok: 'TasksReassigned', errors: [403, 404, 409] })
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
