import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { PageQuery } from '../http/page.query.js';

export class DecisionDto {
  @IsIn(['approve', 'return', 'reject']) decision: 'approve' | 'return' | 'reject';
  @ValidateIf((o: DecisionDto) => o.decision === 'return' || o.decision === 'reject' || o.comment !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'comment is required to return or reject' })
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
