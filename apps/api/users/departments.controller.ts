import { Controller, Get } from '@nestjs/common';
import { Engine } from '@shenpi/engine';

@Controller('api/departments')
export class DepartmentsController {
  constructor(private readonly engine: Engine) {}

  /** Every department (id, name, office it reports to, issuer code), for any signed-in user. */
  @Get()
  list() {
    return this.engine.directoryReadModel.departments();
  }
}
