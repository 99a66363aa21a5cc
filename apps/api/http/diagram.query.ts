import { IsIn, IsOptional } from 'class-validator';

/** `?lang=zh|en` (default zh): the language of a diagram's step and action names. */
export class DiagramQuery {
  @IsOptional() @IsIn(['zh', 'en']) lang?: 'zh' | 'en';
}
