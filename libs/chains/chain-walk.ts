import { getAdjacencyMap } from '@xstate/graph';
import type { AnyMachineSnapshot } from 'xstate';
import type { ChainDefinition, Condition } from './chain-definition.schema.js';
import type { ChainContext, ChainEvent, CompiledChain } from './chain-compiler.js';
import type { DocumentFields } from './conditions.js';
import { currentSigners } from './signing.js';

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

/**
 * Walks the compiled machine with @xstate/graph, once per combination of the field values its
 * conditions mention: every decision of every current signer, every allowed return target.
 * Countersign progress is part of a position; rounds are not (they grow on every return).
 */
export function walkChain(chain: CompiledChain): ChainWalk {
  const reached = new Set<string>();
  const stuck = new Set<string>();
  const finals = new Set(chain.definition.steps.filter((s) => s.final).map((s) => s.key));
  const { variants, truncated } = fieldVariants(chain.definition);
  for (const fields of variants) {
    const map = getAdjacencyMap(chain.machine, {
      events: (snapshot) => eventsAt(chain, snapshot, fields),
      serializeState: (snapshot) => positionKey(snapshot),
    });
    // Reverse reachability from the final positions, over the edges the walk found.
    const into = new Map<string, string[]>();
    for (const [from, { transitions }] of Object.entries(map)) {
      for (const { state } of Object.values(transitions) as { state: AnyMachineSnapshot }[]) {
        const to = positionKey(state);
        into.set(to, [...(into.get(to) ?? []), from]);
      }
    }
    const canFinish = new Set(Object.entries(map).filter(([, v]) => finals.has(String(v.state.value))).map(([k]) => k));
    const queue = [...canFinish];
    while (queue.length) for (const from of into.get(queue.shift()!) ?? []) if (!canFinish.has(from)) canFinish.add(from), queue.push(from);
    for (const [key, { state }] of Object.entries(map)) {
      reached.add(String(state.value));
      if (!canFinish.has(key)) stuck.add(String(state.value));
    }
  }
  return { reached, stuck, variants: variants.length, truncated };
}

function positionKey(snapshot: AnyMachineSnapshot): string {
  const signing = (snapshot.context as ChainContext).signing;
  return `${snapshot.value}|${JSON.stringify(signing?.slots.map((s) => [s.at, s.vote ?? null, s.signers.length]) ?? null)}`;
}

function eventsAt(chain: CompiledChain, snapshot: AnyMachineSnapshot, fields: DocumentFields): ChainEvent[] {
  const step = chain.step(String(snapshot.value));
  const signers = currentSigners((snapshot.context as ChainContext).signing).map((s) => s.id);
  return step.transitions.flatMap((t) => {
    const targets: (string | undefined)[] = t.returnTo?.length ? t.returnTo : [undefined];
    return targets.flatMap((returnTo) =>
      t.by ? [{ type: t.action, returnTo, fields }] : signers.map((signer) => ({ type: t.action, returnTo, signer, fields })),
    );
  });
}

/** Every combination of the values the chain's conditions compare each field with (and "not set"). */
function fieldVariants(definition: ChainDefinition): { variants: DocumentFields[]; truncated: boolean } {
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
  let variants: DocumentFields[] = [{}];
  let truncated = false;
  for (const [field, values] of candidates) {
    variants = variants.flatMap((v) => values.map((value) => (value === undefined ? v : { ...v, [field]: value as string })));
    if (variants.length > MAX_VARIANTS) (variants = variants.slice(0, MAX_VARIANTS)), (truncated = true);
  }
  return { variants, truncated };
}
