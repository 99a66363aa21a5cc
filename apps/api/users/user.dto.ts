import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ROLES, type Role } from '@shenpi/domain';
import { PageQuery } from '../http/page.query.js';

export class UsersQuery extends PageQuery {
  @IsOptional() @IsIn(ROLES) role?: Role;
  @IsOptional() @IsString() @MaxLength(64) departmentId?: string;
  /** `true`: only users who may log in; `false`: only disabled ones. */
  @IsOptional() @IsIn(['true', 'false']) enabled?: 'true' | 'false';
}

export class ReassignTasksDto {
  @IsUUID() toUserId: string;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}
