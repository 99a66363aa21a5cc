import { getAdjacencyMap } from '@xstate/graph';
import type { AnyMachineSnapshot } from 'xstate';
import { currentSigners, type ChainContext, type ChainEvent, type CompiledChain, type DocumentFields } from '@shenpi/chains';

/**
 * The oracle: every position of the compiled XState machine, each slot's vote part of it, every
 * decision of every current signer, once per field combination. Exponential in the seats (the
 * reason the lint no longer walks this way), exact on small chains.
 */
export function walkEveryOrder(chain: CompiledChain, variants: DocumentFields[]): { reached: Set<string>; stuck: Set<string> } {
  const reached = new Set<string>();
  const stuck = new Set<string>();
  const finals = new Set(chain.definition.steps.filter((s) => s.final).map((s) => s.key));
  const key = (snapshot: AnyMachineSnapshot) => {
    const signing = (snapshot.context as ChainContext).signing;
    return `${snapshot.value}|${JSON.stringify(signing?.slots.map((s) => [s.at, s.vote ?? null]) ?? null)}`;
  };
  for (const fields of variants) {
    const map = getAdjacencyMap(chain.machine, {
      events: (snapshot) => {
        const step = chain.step(String(snapshot.value));
        const signers = currentSigners((snapshot.context as ChainContext).signing).map((s) => s.id);
        return step.transitions.flatMap((t) =>
          (t.returnTo?.length ? t.returnTo : [undefined]).flatMap((returnTo): ChainEvent[] =>
            t.by ? [{ type: t.action, returnTo, fields }] : signers.map((signer) => ({ type: t.action, returnTo, signer, fields })),
          ),
        );
      },
      serializeState: key,
    });
    const into = new Map<string, string[]>();
    for (const [from, { transitions }] of Object.entries(map)) {
      for (const { state } of Object.values(transitions) as { state: AnyMachineSnapshot }[]) into.set(key(state), [...(into.get(key(state)) ?? []), from]);
    }
    const canFinish = new Set(Object.entries(map).filter(([, v]) => finals.has(String(v.state.value))).map(([k]) => k));
    const queue = [...canFinish];
    while (queue.length) for (const from of into.get(queue.shift()!) ?? []) if (!canFinish.has(from)) canFinish.add(from), queue.push(from);
    for (const [k, { state }] of Object.entries(map)) {
      reached.add(String(state.value));
      if (!canFinish.has(k)) stuck.add(String(state.value));
    }
  }
  return { reached, stuck };
}

