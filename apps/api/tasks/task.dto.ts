import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsNotIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { PageQuery } from '../http/page.query.js';

/** Task events with routes of their own, never a decision. */
const NOT_DECISIONS = ['edit', 'delegate', 'reassign', 'add-signer', 'attach'];

export class DecisionDto {
  /** approve, return, reject, or an outcome the step defines (legality review: lawful, revise, unlawful). */
  @Matches(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { message: 'decision must be a kebab-case decision name such as "approve"' })
  @IsNotIn(NOT_DECISIONS, { message: 'delegate and add-signer have their own routes' })
  decision: string;
  @ValidateIf((o: DecisionDto) => o.decision === 'return' || o.decision === 'reject' || o.comment !== undefined)
  @IsDefined({ message: 'comment is required to return or reject' })
  @IsString()
  @IsNotEmpty()
  @Matches(/\S/, { message: 'comment must not be blank' })
  @MaxLength(5000)
  comment?: string;
  @IsOptional() @Matches(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { message: 'returnTo must be a step key' }) returnTo?: string;
  @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

export class DelegateDto {
  @IsUUID() toUserId: string;
  @IsString() @IsNotEmpty() @MaxLength(5000) comment: string;
  @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

/** 加签: a user who decides in this step before the caller (who decides again after) or after the caller approves. */
export class AddSignerDto {
  @IsUUID() userId: string;
  @IsIn(['before', 'after']) position: 'before' | 'after';
  @IsOptional() @IsString() @MaxLength(5000) comment?: string;
  @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

export class InboxQuery extends PageQuery {
  @IsOptional() @IsIn(['open', 'done']) status?: 'open' | 'done';
}

export class BulkDecisionItemDto extends DecisionDto {
  @IsUUID() taskId: string;
}

/** Many decisions in one request, each applied and answered on its own (批量审批). */
export class BulkDecisionDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => BulkDecisionItemDto) items: BulkDecisionItemDto[];
}
