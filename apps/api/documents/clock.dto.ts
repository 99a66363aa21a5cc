import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

export const CLOCK_OPERATIONS = ['pause', 'resume', 'restart', 'request-extension', 'approve-extension', 'reject-extension'] as const;
export type ClockOperation = (typeof CLOCK_OPERATIONS)[number];

/** A statutory clock operation on the document's current step. */
export class ClockOperationDto {
  @IsIn(CLOCK_OPERATIONS) operation: ClockOperation;
  @ValidateIf((o: ClockOperationDto) => o.operation !== 'resume')
  @IsString()
  @IsNotEmpty()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(2000)
  reason?: string;
  @ValidateIf((o: ClockOperationDto) => o.operation === 'request-extension')
  @IsInt()
  @Min(1)
  @Max(60)
  workingDays?: number;
}
