import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  Max,
  Min,
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

/**
 * How long a step may take. Exactly one unit: working days on the official calendar (工作日),
 * calendar days (a last day that is a rest day moves to the next working day, 民法典 Art. 203),
 * a fixed date ("before 1 March of the year after the report year"), or seconds (test and demo clocks).
 */
export class FixedDate {
  @IsInt() @Min(1) @Max(12) month: number;
  @IsInt() @Min(1) @Max(31) day: number;
  /** Counted from the document's year: 1 means the year after the report year. */
  @IsInt() @Min(0) @Max(5) yearsAfterDocumentYear: number;
}

export class DeadlineSpec {
  @IsOptional() @IsInt() @Min(1) @Max(3650) workingDays?: number;
  @IsOptional() @IsInt() @Min(1) @Max(3650) calendarDays?: number;
  @IsOptional() @ValidateNested() @Type(() => FixedDate) before?: FixedDate;
  @IsOptional() @IsInt() @Min(1) @Max(31_536_000) seconds?: number;
}

/** A reminder to the step's assignees, some working days (0: on the due day) or seconds before it is due. */
export class ReminderSpec {
  @IsOptional() @IsInt() @Min(0) @Max(365) workingDaysBefore?: number;
  @IsOptional() @IsInt() @Min(1) @Max(31_536_000) secondsBefore?: number;
}

/** An action taken for the assignee when nobody acted in time (e.g. approve by default). */
export class AutoActionSpec {
  @Matches(KEBAB, KEBAB_REASON) action: string;
  @IsOptional() @IsInt() @Min(0) @Max(365) afterWorkingDays?: number;
  @IsOptional() @IsInt() @Min(1) @Max(31_536_000) afterSeconds?: number;
  @IsOptional() @IsString() @MaxLength(500) comment?: string;
}

/** What happens when a step is overdue: tell a role, and optionally act after a further delay. */
export class EscalationSpec {
  @ValidateNested() @Type(() => AssigneeRef) to: AssigneeRef;
  @IsOptional() @IsInt() @Min(0) @Max(365) afterWorkingDays?: number;
  @IsOptional() @IsInt() @Min(1) @Max(31_536_000) afterSeconds?: number;
  @IsOptional() @ValidateNested() @Type(() => AutoActionSpec) then?: AutoActionSpec;
}

export class SectionSpec {
  @Matches(KEBAB, KEBAB_REASON) key: string;
  @ValidateNested() @Type(() => LocalizedName) name: LocalizedName;
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) @MaxLength(50, { each: true }) keywords: string[];
}

/** What the document must contain before the action is taken (checked on its content: 422 when missing). */
export class ContentRequirement {
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => SectionSpec) sections: SectionSpec[];
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
  @IsOptional() @ValidateNested() @Type(() => ContentRequirement) requires?: ContentRequirement;
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
  @IsOptional() @ValidateNested() @Type(() => DeadlineSpec) deadline?: DeadlineSpec;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => ReminderSpec) reminders?: ReminderSpec[];
  @IsOptional() @ValidateNested() @Type(() => EscalationSpec) escalation?: EscalationSpec;
}

/** A date the chain as a whole must meet: `step` entered before `before` (e.g. submitted by 1 March). */
export class MilestoneSpec {
  @Matches(KEBAB, KEBAB_REASON) key: string;
  @ValidateNested() @Type(() => LocalizedName) name: LocalizedName;
  @Matches(KEBAB, KEBAB_REASON) step: string;
  @ValidateNested() @Type(() => FixedDate) before: FixedDate;
}

export class ChainDefinition {
  @Matches(KEBAB, KEBAB_REASON) key: string;
  @ValidateNested() @Type(() => LocalizedName) name: LocalizedName;
  @Matches(KEBAB, KEBAB_REASON) initial: string;
  /** At most one live document per department and year (the annual report). */
  @IsOptional() @IsBoolean() uniquePerDepartmentAndYear?: boolean;
  @IsArray() @ArrayMinSize(2) @ValidateNested({ each: true }) @Type(() => StepDefinition) steps: StepDefinition[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => MilestoneSpec) milestones?: MilestoneSpec[];
}
