import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { DEPARTMENT_ID, notFound, type Principal } from '@shenpi/domain';
import { administratorOf, Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { CreateDepartmentDto, UpdateDepartmentDto } from './department.dto.js';
import { ApiDoc } from '../openapi/route-doc.js';

/** Departments: every signed-in user reads them; global administrators create them, a department's administrator renames it. */
@Controller('api/departments')
export class DepartmentsController {
  constructor(private readonly engine: Engine) {}

  /** Every department (id, name, office it reports to, issuer code), for any signed-in user. */
  @ApiDoc({ summary: 'Every department', ok: 'DepartmentList' })
  @Get()
  list() {
    return this.engine.directoryReadModel.departments();
  }

  @ApiDoc({ summary: 'Create a department (global administrators)', ok: 'Department', errors: [403, 404, 409] })
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateDepartmentDto) {
    return this.engine.organisation.createDepartment(administratorOf(principal, 'create-department'), body);
  }

  /** Name and issuer code (the department's administrators too); the office it reports to (global administrators). */
  @ApiDoc({ summary: 'Change a department', ok: 'Department', errors: [403, 404, 409] })
  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: UpdateDepartmentDto) {
    if (!DEPARTMENT_ID.test(id)) throw notFound('department');
    return this.engine.organisation.updateDepartment(administratorOf(principal, 'update-department'), id, body);
  }
}
