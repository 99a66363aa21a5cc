import { Controller, Get, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ROLES, type Principal, type Role } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CurrentPrincipal } from '../auth/principal.decorator.js';

export class UsersQuery {
  @IsOptional() @IsIn(ROLES) role?: Role;
  @IsOptional() @IsString() @MaxLength(64) departmentId?: string;
}

@Controller('api/users')
export class UsersController {
  constructor(private readonly engine: Engine) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() q: UsersQuery) {
    return this.engine.queries.users(principal, q);
  }
}
