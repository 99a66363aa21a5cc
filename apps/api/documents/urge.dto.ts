import { IsOptional, IsString, MaxLength } from 'class-validator';

export class UrgeDto {
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}
