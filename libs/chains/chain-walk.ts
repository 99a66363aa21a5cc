import type { ChainDefinition, Condition, StepDefinition } from './chain-definition.schema.js';
import type { Routing } from './chain-compiler.js';
import { holds, type DocumentFields } from './conditions.js';
import { currentSigners, isDecisive, recordDecision, startSigning, voteOf, type Signing, type Vote } from './signing.js';

/** What walking every path of a chain found: the steps reached, and reached steps with no way to a final one. */
export interface ChainWalk {
  reached: Set<string>;
  stuck: Set<string>;
  /** Combinations of field values walked, and whether there were more than that. */
  variants: number;
  truncated: boolean;
}

/** At most this many combinations of field values are walked (3 values of 6 fields). */
const MAX_VARIANTS = 729;

/** One way out of a step: the step a transition (or one of its return targets) goes into, before conditions. */
type Exit = string;

/**
 * Walks every path of a chain, once per combination of the field values its conditions mention,
 * with the compiler's own routing (`Routing`) and countersign rules (`signing.ts`).
 *
 * A signed step is walked as vote counts, not as orders of votes: its seats are interchangeable
 * (each slot one signer, as the walk adds none), so "3 of 5 approved" is one position however
 * the 3 were chosen. Its decisions that can settle it are found once, over at most
 * (approvals needed) × (objections allowed) positions, and then it is one node of the step graph:
 * a 50-seat 会签 costs 50 positions, not 50! orders. Rounds are not part of a position (they grow
 * on every return).
 */
export function walkChain(chain: { definition: ChainDefinition; routing: Routing }): ChainWalk {
  const definition = chain.definition;
  const countersigns = new Map<string, ReturnType<typeof settlingVotes>>();
  const exits = new Map(definition.steps.map((s) => [s.key, exitsOf(s, countersigns)]));
  const finals = new Set(definition.steps.filter((s) => s.final).map((s) => s.key));
  const conditional = definition.steps.filter((s) => s.when);
  const reached = new Set<string>();
  const stuck = new Set<string>();
  const { variants, truncated } = fieldVariants(definition);
  const walked = new Set<string>();
  for (const fields of variants) {
    // Fields matter only through the steps' conditions: variants that agree on all of them walk alike.
    const verdicts = conditional.map((s) => (holds(s.when!, fields) ? 1 : 0)).join('');
    if (walked.has(verdicts)) continue;
    walked.add(verdicts);
    const next = (key: string) => exits.get(key)!.exits.map((to) => chain.routing.resolve(to, fields));
    const into = new Map<string, string[]>();
    const seen = new Set([definition.initial]);
    const queue = [definition.initial];
    while (queue.length) {
      const from = queue.shift()!;
      for (const to of next(from)) {
        into.set(to, [...(into.get(to) ?? []), from]);
        if (!seen.has(to)) seen.add(to), queue.push(to);
      }
    }
    // Reverse reachability from the final steps, over the edges the walk found.
    const canFinish = new Set([...seen].filter((k) => finals.has(k)));
    const back = [...canFinish];
    while (back.length) for (const from of into.get(back.pop()!) ?? []) if (!canFinish.has(from)) canFinish.add(from), back.push(from);
    for (const key of seen) {
      reached.add(key);
      if (!canFinish.has(key) || exits.get(key)!.stallsMidway) stuck.add(key);
    }
  }
  return { reached, stuck, variants: variants.length, truncated };
}

/**
 * The ways out of a step: each transition to a step (one per return target), unless it is a
 * signed decision whose vote can never settle the step; and whether some count of votes leaves
 * the step with no decision that settles it.
 */
function exitsOf(step: StepDefinition, countersigns: Map<string, ReturnType<typeof settlingVotes>>): { exits: Exit[]; stallsMidway: boolean } {
  const moving = step.transitions.filter((t) => t.to);
  const signed = startSigning(step);
  const votes = new Set(moving.filter((t) => !t.by).map(voteOf));
  // Steps whose countersigns are alike (mode, seats, approvals needed, votes cast) settle alike: walked once.
  const shape = signed && `${signed.mode}/${signed.slots.length}/${signed.needed}/${[...votes].sort()}`;
  if (signed && shape && !countersigns.has(shape)) countersigns.set(shape, settlingVotes(signed, votes));
  const { settling, stallsMidway } = shape ? countersigns.get(shape)! : { settling: votes, stallsMidway: false };
  const exits = moving
    .filter((t) => t.by || !signed || settling.has(voteOf(t)))
    .flatMap((t) => (t.returnTo?.length ? t.returnTo : [t.to!]));
  // A role's action (`by`) leaves from any count of votes.
  return { exits, stallsMidway: stallsMidway && !moving.some((t) => t.by) };
}

/**
 * Walks a signed step's countersign by counts: a position is how many slots voted for and how
 * many against; from each, the next current signer casts each vote the step's decisions carry.
 * Returns the votes that settle the step from some position, and whether a position exists from
 * which no settling vote can be reached.
 */
function settlingVotes(start: Signing, votes: Set<Vote>): { settling: Set<Vote>; stallsMidway: boolean } {
  const settling = new Set<Vote>();
  // Slots are interchangeable, so a position is the first `f` slots for, the next `a` against.
  const at = (f: number, a: number): Signing => ({ ...start, slots: start.slots.map((slot, i) => (i < f + a ? { ...slot, vote: i < f ? 'for' : 'against' } : slot)) });
  const settles = new Set<string>();
  const into = new Map<string, string[]>([['0,0', []]]);
  const queue: [number, number][] = [[0, 0]];
  while (queue.length) {
    const [f, a] = queue.shift()!;
    const here = `${f},${a}`;
    const signing = at(f, a);
    const signer = currentSigners(signing)[0];
    for (const vote of signer ? votes : []) {
      if (isDecisive(signing, signer.id, vote)) {
        settling.add(vote);
        settles.add(here);
        continue;
      }
      const after = recordDecision(signing, signer.id, vote).slots;
      const there = `${after.filter((s) => s.vote === 'for').length},${after.filter((s) => s.vote === 'against').length}`;
      if (there === here) continue;
      if (!into.has(there)) into.set(there, []), queue.push([Number(there.split(',')[0]), Number(there.split(',')[1])]);
      into.get(there)!.push(here);
    }
  }
  // A position stalls when nothing it leads to settles the step: reverse reachability from those that do.
  const live = new Set(settles);
  const back = [...settles];
  while (back.length) for (const from of into.get(back.pop()!) ?? []) if (!live.has(from)) live.add(from), back.push(from);
  const stallsMidway = live.size < into.size;
  return { settling, stallsMidway };
}

/**
 * The combinations of the values the chain's conditions compare each field with (and "not set"):
 * all of them, or past MAX_VARIANTS that many drawn with a fixed seed (the same lint every time).
 */
export function fieldVariants(definition: ChainDefinition): { variants: DocumentFields[]; truncated: boolean } {
  const candidates = new Map<string, unknown[]>();
  const visit = (c: Condition) => {
    c.all?.forEach(visit);
    c.any?.forEach(visit);
    if (!c.field) return;
    const type = definition.fields?.find((f) => f.key === c.field)?.type;
    // `exists` compares with no value: any value of the field's type stands for "set".
    const sample = c.op === 'exists' ? { boolean: true, number: 0, string: 'x' }[type ?? 'string'] : c.value;
    const values = type === 'boolean' ? [true, false] : Array.isArray(sample) ? sample : typeof sample === 'number' ? [sample - 1, sample, sample + 1] : [sample];
    candidates.set(c.field, [...new Set([...(candidates.get(c.field) ?? [undefined]), ...values])]);
  };
  for (const step of definition.steps) if (step.when) visit(step.when);
  const fields = [...candidates];
  const combinations = fields.reduce((n, [, values]) => n * values.length, 1);
  const variant = (pick: (values: unknown[]) => unknown) => {
    const v: DocumentFields = {};
    for (const [field, values] of fields) {
      const value = pick(values);
      if (value !== undefined) v[field] = value as string;
    }
    return v;
  };
  if (combinations <= MAX_VARIANTS) {
    // The index read as a number whose digits are the fields' value positions.
    const variants = Array.from({ length: combinations }, (_, index) => {
      let rest = index;
      return variant((values) => {
        const value = values[rest % values.length];
        rest = Math.floor(rest / values.length);
        return value;
      });
    });
    return { variants, truncated: false };
  }
  let seed = 0x9e3779b9;
  const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0), seed / 2 ** 32);
  return { variants: [{}, ...Array.from({ length: MAX_VARIANTS - 1 }, () => variant((values) => values[Math.floor(random() * values.length)]))], truncated: true };
}
