import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { DEPARTMENT_ID, ROLES, USERNAME, type Role } from '@shenpi/domain';
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

/** A new user, with roles in one department; without `password` the service generates one, answered once. */
export class CreateUserDto {
  @IsString() @Matches(USERNAME, { message: 'username must be 2 to 64 letters, digits, _ . or -' }) username: string;
  @IsString() @IsNotEmpty() @Matches(/\S/, { message: 'displayName must not be blank' }) @MaxLength(100) displayName: string;
  // Absent, not null: null would reach the password policy as no string at all.
  @ValidateIf((o: { password?: unknown }) => o.password !== undefined) @IsString() @IsNotEmpty() @MaxLength(256) password?: string;
  @IsOptional() @IsString() @Matches(DEPARTMENT_ID, { message: 'departmentId must be a department code such as "city-sti"' }) departmentId?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(ROLES.length) @IsIn(ROLES, { each: true }) roles?: Role[];
}

export class UpdateUserDto {
  @IsOptional() @IsString() @IsNotEmpty() @Matches(/\S/, { message: 'displayName must not be blank' }) @MaxLength(100) displayName?: string;
}

export class DisableUserDto {
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

/** A role in a department; `admin` alone may be held globally (no departmentId). */
export class GrantRoleDto {
  @IsIn(ROLES) role: Role;
  @IsOptional() @IsString() @Matches(DEPARTMENT_ID, { message: 'departmentId must be a department code such as "city-sti"' }) departmentId?: string;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class RevokeRoleQuery {
  @IsOptional() @IsString() @Matches(DEPARTMENT_ID, { message: 'departmentId must be a department code such as "city-sti"' }) departmentId?: string;
}

/** The departments a supervisor oversees (a rule-of-law office brings the departments reporting to it); [] ends the supervision. */
export class SupervisionDto {
  @IsArray() @ArrayMaxSize(200) @Matches(DEPARTMENT_ID, { each: true, message: 'each value in departmentIds must be a department code such as "city-sti"' }) departmentIds: string[];
}
