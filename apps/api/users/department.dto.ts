import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { DEPARTMENT_ID } from '@shenpi/domain';

const CODE = { message: 'must be a department code such as "city-sti"' };

export class CreateDepartmentDto {
  @IsString() @Matches(DEPARTMENT_ID, { message: `id ${CODE.message} (2 to 64 characters)` }) id: string;
  @IsString() @IsNotEmpty() @Matches(/\S/, { message: 'name must not be blank' }) @MaxLength(200) name: string;
  /** The rule-of-law office the department reports to (its supervisors oversee it; office steps go there). */
  @IsOptional() @IsString() @Matches(DEPARTMENT_ID, { message: `officeId ${CODE.message}` }) officeId?: string | null;
  /** The issuing organ's code in document numbers (e.g. 沙科局发); the name when absent. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(40) issuerCode?: string | null;
}

/** What changes; `null` clears the office or the issuer code. */
export class UpdateDepartmentDto {
  @IsOptional() @IsString() @IsNotEmpty() @Matches(/\S/, { message: 'name must not be blank' }) @MaxLength(200) name?: string;
  @ValidateIf((o: UpdateDepartmentDto) => o.officeId !== null && o.officeId !== undefined)
  @IsString()
  @Matches(DEPARTMENT_ID, { message: `officeId ${CODE.message}` })
  officeId?: string | null;
  @ValidateIf((o: UpdateDepartmentDto) => o.issuerCode !== null && o.issuerCode !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  issuerCode?: string | null;
}
