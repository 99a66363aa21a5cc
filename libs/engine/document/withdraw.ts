import { DomainError, ErrorCode } from '@shenpi/domain';
import type { ReviewRound } from './separation-of-duties.js';

/** 撤回 only while nobody has decided anything in the current review round (an added signer included). */
export function checkWithdraw(round: ReviewRound): void {
  if (round.decided.length) {
    throw new DomainError(ErrorCode.ALREADY_DECIDED, 'a decision was already made in this review round: the document can no longer be withdrawn', {
      decidedTaskIds: round.decided.map((t) => t.id),
    });
  }
}
