import type { Role } from '@shenpi/domain';
import type { SignerRef, SigningMode, StepDefinition } from './chain-definition.schema.js';

/** One signer in a step's round; the id is stable, so a task names the signer it was opened for. */
export interface Signer {
  id: string;
  role?: Role;
  department?: 'document' | 'office';
  userId?: string;
}

/**
 * A slot is one vote. Its signers decide one after another: the step's own signer plus any added
 * with 加签 before or after them; the slot votes "for" when its last signer approves.
 */
export interface SigningSlot {
  signers: Signer[];
  at: number;
  vote?: 'for' | 'against';
}

/** A step's countersign progress for the current round (lives in the machine's context). */
export interface Signing {
  mode: SigningMode;
  /** Approvals (slot votes "for") that pass the step. */
  needed: number;
  slots: SigningSlot[];
  /** For the next added signer's id. */
  added: number;
}

export type Vote = 'for' | 'against';

/** A decision's vote: as declared, else approve is for and every other decision (return, reject, …) against. */
export const voteOf = (t: { action: string; vote?: Vote }): Vote => t.vote ?? (t.action === 'approve' ? 'for' : 'against');

/** A step's signers as declared: `assignee` is shorthand for one role signer. */
export function declaredSigners(step: StepDefinition): SignerRef[] {
  if (step.assignees?.length) return step.assignees;
  return step.assignee ? [step.assignee] : [];
}

/** The state a step starts each round in, or undefined for a step nobody signs. */
export function startSigning(step: StepDefinition): Signing | undefined {
  const refs = declaredSigners(step);
  if (!refs.length) return undefined;
  const mode = step.signing ?? 'all';
  const slots = refs.map((ref, i) => ({ signers: [{ id: `s${i}`, ...pick(ref) }], at: 0 }));
  const needed = mode === 'any' ? 1 : mode === 'all' ? Math.min(step.threshold ?? slots.length, slots.length) : slots.length;
  return { mode, needed, slots, added: 0 };
}

function pick(ref: SignerRef): Omit<Signer, 'id'> {
  return ref.userId ? { userId: ref.userId, ...(ref.role ? { role: ref.role } : {}) } : { role: ref.role!, department: ref.department ?? 'document' };
}

/** Who should hold an open task now: each undecided slot's current signer (in sequence, only the first). */
export function currentSigners(s: Signing | undefined): Signer[] {
  if (!s) return [];
  const open = s.slots.filter((slot) => !slot.vote);
  const active = s.mode === 'sequence' ? open.slice(0, 1) : open;
  return active.map((slot) => slot.signers[slot.at]);
}

/** The slot in which `signerId` is due to decide now, or -1 (in sequence, only the first undecided slot is due). */
export function slotOf(s: Signing | undefined, signerId: string | undefined): number {
  if (!s || !signerId) return -1;
  const i = s.slots.findIndex((slot) => !slot.vote && slot.signers[slot.at]?.id === signerId);
  if (s.mode === 'sequence' && i !== s.slots.findIndex((slot) => !slot.vote)) return -1;
  return i;
}

/** Does this decision end the step? 或签: any decision; otherwise when the tally is settled either way. */
export function isDecisive(s: Signing | undefined, signerId: string | undefined, vote: Vote): boolean {
  if (!s) return true;
  const i = slotOf(s, signerId);
  if (i < 0) return false;
  const slot = s.slots[i];
  if (vote === 'for' && slot.at < slot.signers.length - 1) return false;
  if (s.mode === 'any') return true;
  const votes = (v: Vote) => s.slots.filter((x) => x.vote === v).length + (v === vote ? 1 : 0);
  return vote === 'for' ? votes('for') >= s.needed : votes('against') > s.slots.length - s.needed;
}

/** Records a decision that does not end the step: the slot's next signer, or the slot's vote. */
export function recordDecision(s: Signing, signerId: string, vote: Vote): Signing {
  const i = slotOf(s, signerId);
  const slots = s.slots.map((slot, j) => {
    if (j !== i) return slot;
    if (vote === 'for' && slot.at < slot.signers.length - 1) return { ...slot, at: slot.at + 1 };
    return { ...slot, vote };
  });
  return { ...s, slots };
}

/**
 * 加签: a signer added to the caller's slot, deciding before the caller (who decides again after
 * them) or after the caller's approval.
 */
export function addSigner(s: Signing, signerId: string, added: Omit<Signer, 'id'>, position: 'before' | 'after'): Signing {
  const i = slotOf(s, signerId);
  const signer: Signer = { id: `a${s.added + 1}`, ...added };
  const slots = s.slots.map((slot, j) => {
    if (j !== i) return slot;
    const signers = [...slot.signers];
    signers.splice(position === 'before' ? slot.at : slot.at + 1, 0, signer);
    return { ...slot, signers };
  });
  return { ...s, slots, added: s.added + 1 };
}
