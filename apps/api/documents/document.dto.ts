import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsObject,
  IsUUID,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_INT } from '@shenpi/engine';
import { PageQuery } from '../http/page.query.js';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Content is bounded by the body limit (1 MB); this keeps one field from taking all of it unnoticed. */
const MAX_CONTENT = 900_000;

export class CreateDocumentDto {
  @Matches(KEBAB, { message: 'chain must be a chain key such as "annual-report"' }) chain: string;
  @IsString() @IsNotEmpty() @MaxLength(300) title: string;
  @IsInt() @Min(2000) @Max(2100) year: number;
  @IsString() @IsNotEmpty() @MaxLength(64) departmentId: string;
  @IsOptional() @IsString() @MaxLength(MAX_CONTENT) content?: string;
  /** Values of the chain's declared fields, checked against their types (e.g. `involvesMarketActivity`). */
  @IsOptional() @IsObject() fields?: Record<string, string | number | boolean>;
}

export class UpdateDocumentDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(300) title?: string;
  @IsOptional() @IsString() @MaxLength(MAX_CONTENT) content?: string;
  @IsOptional() @IsObject() fields?: Record<string, string | number | boolean>;
  @IsInt() @Min(1) expectedVersion: number;
}

export class DisclosureDto {
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' }) @MaxLength(2000) url: string;
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'publishedOn must be a date YYYY-MM-DD' }) publishedOn: string;
}

export class DocumentActionDto {
  @Matches(KEBAB, { message: 'action must be a kebab-case action name' }) action: string;
  @IsOptional() @IsString() @MaxLength(5000) comment?: string;
  @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
  @IsOptional() @Matches(KEBAB, { message: 'returnTo must be a step key' }) returnTo?: string;
  @ValidateIf((o: DocumentActionDto) => o.action === 'record-disclosure' || o.disclosure !== undefined)
  @IsDefined()
  @ValidateNested()
  @Type(() => DisclosureDto)
  disclosure?: DisclosureDto;
}

/** 抄送: users who may read the document from now on, and are told so. */
export class CopyDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsUUID('all', { each: true }) userIds: string[];
  @IsOptional() @IsString() @MaxLength(5000) comment?: string;
}

export class ListDocumentsQuery extends PageQuery {
  @IsOptional() @Matches(KEBAB, { message: 'state must be a step key' }) state?: string;
  @IsOptional() @Matches(KEBAB, { message: 'chain must be a chain key such as "annual-report"' }) chain?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @IsOptional() @IsString() @MaxLength(64) departmentId?: string;
}


/** `?diff=w`: the redline from version w to the version asked for. */
export class DocumentVersionQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_INT) diff?: number;
}
