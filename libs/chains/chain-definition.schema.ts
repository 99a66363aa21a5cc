import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ROLES, type Role } from '@shenpi/domain';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const KEBAB_REASON = { message: '$property must be kebab-case (a-z, 0-9, single dashes)' };

export class LocalizedName {
  @IsString() @MaxLength(200) zh: string;
  @IsString() @MaxLength(200) en: string;
}

/** Who acts: a role, held in the document's department or in the rule-of-law office it reports to. */
export class AssigneeRef {
  @IsIn(ROLES) role: Role;
  @IsIn(['document', 'office']) department: 'document' | 'office';
}

export class TransitionDefinition {
  @Matches(KEBAB, KEBAB_REASON) action: string;
  /** The step entered; for `return`, the default when the caller names no `returnTo`. Absent: stays. */
  @IsOptional() @Matches(KEBAB, KEBAB_REASON) to?: string;
  /** Absent: a decision by the step's assignee, made through its task. Present: an action of this role. */
  @IsOptional() @ValidateNested() @Type(() => AssigneeRef) by?: AssigneeRef;
  /** Earlier steps a caller may name instead of `to` (退回 to a chosen step). */
  @IsOptional() @IsArray() @ArrayUnique() @Matches(KEBAB, { each: true, ...KEBAB_REASON }) returnTo?: string[];
  @IsOptional() @IsBoolean() commentRequired?: boolean;
  /** A structured payload the action must carry (validated by the API), e.g. `disclosure`. */
  @IsOptional() @IsIn(['disclosure']) payload?: 'disclosure';
}

export class StepDefinition {
  @Matches(KEBAB, KEBAB_REASON) key: string;
  @ValidateNested() @Type(() => LocalizedName) name: LocalizedName;
  @IsOptional() @IsBoolean() final?: boolean;
  /** The drafter may edit title and content while the document is here. */
  @IsOptional() @IsBoolean() editable?: boolean;
  /** Entering the step opens a task for this assignee. */
  @IsOptional() @ValidateNested() @Type(() => AssigneeRef) assignee?: AssigneeRef;
  @IsArray() @ValidateNested({ each: true }) @Type(() => TransitionDefinition) transitions: TransitionDefinition[];
  // Reserved for the deadlines and chains issues: accepted and stored, not interpreted yet.
  @IsOptional() @IsObject() deadline?: Record<string, unknown>;
  @IsOptional() @IsArray() reminders?: unknown[];
  @IsOptional() @IsObject() escalation?: Record<string, unknown>;
  @IsOptional() @IsObject() requires?: Record<string, unknown>;
}

export class ChainDefinition {
  @Matches(KEBAB, KEBAB_REASON) key: string;
  @ValidateNested() @Type(() => LocalizedName) name: LocalizedName;
  @Matches(KEBAB, KEBAB_REASON) initial: string;
  /** At most one live document per department and year (the annual report). */
  @IsOptional() @IsBoolean() uniquePerDepartmentAndYear?: boolean;
  @IsArray() @ArrayMinSize(2) @ValidateNested({ each: true }) @Type(() => StepDefinition) steps: StepDefinition[];
}
