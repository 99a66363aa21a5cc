import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsDefined,
  IsInt,
  Max,
  Min,
  IsOptional,
  IsString,
  Matches,
  Allow,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ROLES, type Role } from '@shenpi/domain';

/**
 * Hard limits of a definition, each refused at its path: they keep the lint's work bounded (an
 * administrator's mistake or a hostile body cannot stall validation) far above any real chain.
 */
export const CHAIN_LIMITS = {
  steps: 200,
  seatsPerStep: 100,
  fields: 20,
  conditionDepth: 5,
  keyLength: 64,
  definitionBytes: 256 * 1024,
  transitionsPerStep: 20,
  remindersPerStep: 10,
  milestones: 50,
} as const;

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const KEBAB_REASON = { message: '$property must be kebab-case (a-z, 0-9, single dashes)' };
const CAMEL = /^[a-z][a-zA-Z0-9]{0,63}$/;
const CAMEL_REASON = { message: '$property must be camelCase (a letter, then letters and digits)' };

/*
 * A nested object the definition needs is marked IsDefined: ValidateNested alone lets a missing one
 * through (a step without its name passed, an escalation without `to` threw in the lint).
 */

export class LocalizedName {
  @IsString() @MaxLength(200) zh: string;
  @IsString() @MaxLength(200) en: string;
}

/** Who acts: a role, held in the document's department or in the rule-of-law office it reports to. */
export class AssigneeRef {
  @IsIn(ROLES) role: Role;
  @IsIn(['document', 'office']) department: 'document' | 'office';
}

/** One signer of a step: a role (in the document's department or its office) or one named user. */
export class SignerRef {
  @IsOptional() @IsIn(ROLES) role?: Role;
  @IsOptional() @IsIn(['document', 'office']) department?: 'document' | 'office';
  @IsOptional() @IsUUID() userId?: string;
}

/** 会签 every signer (or `threshold` of them) approves; 或签 the first decision decides; 依次 one after another. */
export const SIGNING_MODES = ['all', 'any', 'sequence'] as const;
export type SigningMode = (typeof SIGNING_MODES)[number];

/** Fields a document of the chain carries (set at creation, editable while its step is editable). */
export const FIELD_TYPES = ['boolean', 'string', 'number'] as const;
export class FieldSpec {
  @Matches(CAMEL, CAMEL_REASON) key: string;
  @IsDefined() @ValidateNested() @Type(() => LocalizedName) name: LocalizedName;
  @IsIn(FIELD_TYPES) type: (typeof FIELD_TYPES)[number];
  @IsOptional() @IsBoolean() required?: boolean;
}

export const CONDITION_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/**
 * A declarative condition on the document's fields, never code: one comparison
 * (`field`, `op`, `value`), or `all` / `any` of nested conditions.
 */
export class Condition {
  @IsOptional() @Matches(CAMEL, CAMEL_REASON) field?: string;
  @IsOptional() @IsIn(CONDITION_OPERATORS) op?: ConditionOperator;
  @IsOptional() @Allow() value?: unknown;
  @IsOptional() @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => Condition) all?: Condition[];
  @IsOptional() @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => Condition) any?: Condition[];
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
  @MaxLength(CHAIN_LIMITS.keyLength) @Matches(KEBAB, KEBAB_REASON) action: string;
  @IsOptional() @IsInt() @Min(0) @Max(365) afterWorkingDays?: number;
  @IsOptional() @IsInt() @Min(1) @Max(31_536_000) afterSeconds?: number;
  @IsOptional() @IsString() @MaxLength(500) comment?: string;
}

/** What happens when a step is overdue: tell a role, and optionally act after a further delay. */
export class EscalationSpec {
  @IsDefined() @ValidateNested() @Type(() => AssigneeRef) to: AssigneeRef;
  @IsOptional() @IsInt() @Min(0) @Max(365) afterWorkingDays?: number;
  @IsOptional() @IsInt() @Min(1) @Max(31_536_000) afterSeconds?: number;
  @IsOptional() @ValidateNested() @Type(() => AutoActionSpec) then?: AutoActionSpec;
}

export class SectionSpec {
  @MaxLength(CHAIN_LIMITS.keyLength) @Matches(KEBAB, KEBAB_REASON) key: string;
  @IsDefined() @ValidateNested() @Type(() => LocalizedName) name: LocalizedName;
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) @MaxLength(50, { each: true }) keywords: string[];
}

/** What the document must contain before the action is taken (checked on its content: 422 when missing). */
export class ContentRequirement {
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => SectionSpec) sections: SectionSpec[];
}

export class TransitionDefinition {
  @MaxLength(CHAIN_LIMITS.keyLength) @Matches(KEBAB, KEBAB_REASON) action: string;
  /** The step entered; for `return`, the default when the caller names no `returnTo`. Absent: stays. */
  @IsOptional() @MaxLength(CHAIN_LIMITS.keyLength) @Matches(KEBAB, KEBAB_REASON) to?: string;
  /** Absent: a decision by the step's assignee, made through its task. Present: an action of this role. */
  @IsOptional() @ValidateNested() @Type(() => AssigneeRef) by?: AssigneeRef;
  /** Earlier steps a caller may name instead of `to` (退回 to a chosen step). */
  @IsOptional() @IsArray() @ArrayMaxSize(CHAIN_LIMITS.steps) @ArrayUnique() @MaxLength(CHAIN_LIMITS.keyLength, { each: true }) @Matches(KEBAB, { each: true, ...KEBAB_REASON }) returnTo?: string[];
  @IsOptional() @IsBoolean() commentRequired?: boolean;
  /** How the decision counts in a step with several signers; default: `approve` for, every other decision against. */
  @IsOptional() @IsIn(['for', 'against']) vote?: 'for' | 'against';
  /** A structured payload the action must carry (validated by the API), e.g. `disclosure`. */
  @IsOptional() @IsIn(['disclosure']) payload?: 'disclosure';
  @IsOptional() @ValidateNested() @Type(() => ContentRequirement) requires?: ContentRequirement;
  /** What the action is called, in both languages (diagrams, the interface); the shipped actions have names already. */
  @IsOptional() @ValidateNested() @Type(() => LocalizedName) name?: LocalizedName;
}

export class StepDefinition {
  @MaxLength(CHAIN_LIMITS.keyLength) @Matches(KEBAB, KEBAB_REASON) key: string;
  @IsDefined() @ValidateNested() @Type(() => LocalizedName) name: LocalizedName;
  @IsOptional() @IsBoolean() final?: boolean;
  /** The drafter may edit title and content while the document is here. */
  @IsOptional() @IsBoolean() editable?: boolean;
  /** Entering the step opens a task for this assignee (one role). */
  @IsOptional() @ValidateNested() @Type(() => AssigneeRef) assignee?: AssigneeRef;
  /** Several signers, or a named user: a task each, decided together as `signing` says. */
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(CHAIN_LIMITS.seatsPerStep) @ValidateNested({ each: true }) @Type(() => SignerRef) assignees?: SignerRef[];
  /** How `assignees` decide; default `all`. */
  @IsOptional() @IsIn(SIGNING_MODES) signing?: SigningMode;
  /** With `signing: all`, approvals that pass the step (a vote); default: every signer. */
  @IsOptional() @IsInt() @Min(1) @Max(100) threshold?: number;
  /** The step runs only when this holds on the document's fields; otherwise it is passed over. */
  @IsOptional() @ValidateNested() @Type(() => Condition) when?: Condition;
  /** Entering the step gives the document its number from the department's yearly sequence (〔year〕N号). */
  @IsOptional() @IsBoolean() assignsNumber?: boolean;
  /** 加签: how many signers may be added to this step in one round (default 10). */
  @IsOptional() @IsInt() @Min(0) @Max(50) maxAddedSigners?: number;
  /**
   * Relaxes one rule of 不相容职务分离 for this step: whoever decided another review step of the
   * document in the same round may decide this one. The lint reports it; decisions that use it are audited.
   */
  @IsOptional() @IsBoolean() allowSameDeciderAcrossSteps?: boolean;
  @IsArray() @ArrayMaxSize(CHAIN_LIMITS.transitionsPerStep) @ValidateNested({ each: true }) @Type(() => TransitionDefinition) transitions: TransitionDefinition[];
  @IsOptional() @ValidateNested() @Type(() => DeadlineSpec) deadline?: DeadlineSpec;
  @IsOptional() @IsArray() @ArrayMaxSize(CHAIN_LIMITS.remindersPerStep) @ValidateNested({ each: true }) @Type(() => ReminderSpec) reminders?: ReminderSpec[];
  @IsOptional() @ValidateNested() @Type(() => EscalationSpec) escalation?: EscalationSpec;
}

/** A date the chain as a whole must meet: `step` entered before `before` (e.g. submitted by 1 March). */
export class MilestoneSpec {
  @MaxLength(CHAIN_LIMITS.keyLength) @Matches(KEBAB, KEBAB_REASON) key: string;
  @IsDefined() @ValidateNested() @Type(() => LocalizedName) name: LocalizedName;
  @MaxLength(CHAIN_LIMITS.keyLength) @Matches(KEBAB, KEBAB_REASON) step: string;
  @IsDefined() @ValidateNested() @Type(() => FixedDate) before: FixedDate;
}

export class ChainDefinition {
  @MaxLength(CHAIN_LIMITS.keyLength) @Matches(KEBAB, KEBAB_REASON) key: string;
  @IsDefined() @ValidateNested() @Type(() => LocalizedName) name: LocalizedName;
  @MaxLength(CHAIN_LIMITS.keyLength) @Matches(KEBAB, KEBAB_REASON) initial: string;
  /** At most one live document per department and year (the annual report). */
  @IsOptional() @IsBoolean() uniquePerDepartmentAndYear?: boolean;
  @IsOptional() @IsArray() @ArrayMaxSize(CHAIN_LIMITS.fields) @ValidateNested({ each: true }) @Type(() => FieldSpec) fields?: FieldSpec[];
  @IsArray() @ArrayMinSize(2) @ArrayMaxSize(CHAIN_LIMITS.steps) @ValidateNested({ each: true }) @Type(() => StepDefinition) steps: StepDefinition[];
  @IsOptional() @IsArray() @ArrayMaxSize(CHAIN_LIMITS.milestones) @ValidateNested({ each: true }) @Type(() => MilestoneSpec) milestones?: MilestoneSpec[];
}
