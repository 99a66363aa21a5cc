import { getSimplePaths } from '@xstate/graph';
import { compileChain, lintChainDefinition, type ChainContext, type ChainEvent, type CompiledChain } from '@shenpi/chains';

/** One step of a path: the event and the position it leads to (step key, countersign votes). */
export interface PathStep {
  event: ChainEvent;
  state: string;
  votes: (string | null)[] | null;
}

export interface ChainPath {
  /** Readable: `submit → legal-review, approve(s0) → party-group-review, …`. */
  name: string;
  /** The fields the document is created with (those of the path's first submit). */
  fields: Record<string, unknown>;
  steps: PathStep[];
  final: string;
}

const votesOf = (context: unknown) => (context as ChainContext).signing?.slots.map((slot) => slot.vote ?? null) ?? null;

/** A position is its step key and its countersign progress (`rounds` grows on every return, so it is left out). */
const positionKey = (s: { value: unknown; context: unknown }) => `${String(s.value)}|${JSON.stringify(votesOf(s.context))}`;

/** Every combination of the chain's boolean fields (the shipped chains declare no others). */
function fieldVariants(chain: CompiledChain): Record<string, unknown>[] {
  let variants: Record<string, unknown>[] = [{}];
  for (const f of chain.definition.fields ?? []) {
    if (f.type !== 'boolean') continue;
    variants = variants.flatMap((v) => [true, false].map((b) => ({ ...v, [f.key]: b })));
  }
  return variants;
}

/**
 * The simple paths of a chain as @xstate/graph finds them (as the chain specs in workflows/ do):
 * the events are every action the chain declares, decisions by signers s0 and s1 with each
 * `returnTo` allowed, each with every variant of the document's fields. A path is kept when every
 * event carries the fields of the last submit (the engine sends the document's own fields with
 * every event), and paths that differ only in the fields a decision carried are one path.
 *
 * A simple path never goes back (a return leads to a position it passed), so `closing` adds, to
 * each simple path, each event that leads from its end back to a position it passed: the returns,
 * withdrawals and revisions.
 */
export function chainPaths(definition: unknown): { chain: CompiledChain; simple: ChainPath[]; closing: ChainPath[] } {
  const lint = lintChainDefinition(definition);
  if (!lint.definition) throw new Error(`lint: ${JSON.stringify(lint.errors)}`);
  const chain = compileChain(lint.definition);
  const variants = fieldVariants(chain);
  const documentActions = new Set<string>();
  const decisions = new Map<string, Set<string>>();
  for (const step of chain.definition.steps) {
    for (const t of step.transitions) {
      if (t.by) documentActions.add(t.action);
      else {
        const returnTos = decisions.get(t.action) ?? new Set<string>();
        for (const r of t.returnTo ?? []) returnTos.add(r);
        decisions.set(t.action, returnTos);
      }
    }
  }
  const events: ChainEvent[] = [];
  for (const type of documentActions) for (const fields of variants) events.push({ type, fields: fields as never });
  for (const [type, returnTos] of decisions) {
    for (const signer of ['s0', 's1']) {
      for (const fields of variants) {
        events.push({ type, signer, fields: fields as never });
        for (const returnTo of returnTos) events.push({ type, signer, returnTo, fields: fields as never });
      }
    }
  }

  const found = getSimplePaths(chain.machine, { events, serializeState: positionKey });
  const simple = new Map<string, ChainPath>();
  const closing = new Map<string, ChainPath>();
  for (const path of found) {
    const steps = path.steps.slice(1).map((s) => ({ event: s.event as ChainEvent, state: String(s.state.value), votes: votesOf(s.state.context) }));
    let current: string | undefined;
    let consistent = true;
    for (const { event } of steps) {
      const f = JSON.stringify(event.fields ?? {});
      if (event.type === 'submit' || current === undefined) current = f;
      else if (f !== current) consistent = false;
    }
    if (!consistent) continue;
    const fields = (steps.find((s) => s.event.type === 'submit')?.event.fields ?? variants[0]) as Record<string, unknown>;
    const named = (all: PathStep[], final: string): ChainPath => ({ name: nameOf(fields, all, variants.length > 1), fields, steps: all, final });
    const p = named(steps, String(path.state.value));
    if (!simple.has(p.name)) simple.set(p.name, p);

    // The events that lead from the path's end back to a position it passed: returns, withdrawals, revisions.
    const visited = new Set(path.steps.map((s) => positionKey(s.state)));
    const end = { stateKey: String(path.state.value), context: path.state.context as ChainContext };
    for (const event of events) {
      if (JSON.stringify(event.fields ?? {}) !== (current ?? JSON.stringify(fields))) continue;
      const next = chain.next(end, event);
      if (!next || !visited.has(positionKey({ value: next.stateKey, context: next.context }))) continue;
      const c = named([...steps, { event, state: next.stateKey, votes: votesOf(next.context) }], next.stateKey);
      if (!closing.has(c.name)) closing.set(c.name, c);
    }
  }
  const sorted = (m: Map<string, ChainPath>) => [...m.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { chain, simple: sorted(simple), closing: sorted(closing) };
}

function nameOf(fields: Record<string, unknown>, steps: PathStep[], showFields: boolean): string {
  const head = showFields ? [`{${Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(',')}}`] : [];
  const body = steps.map(({ event, state }) => `${event.type}${event.signer ? `(${event.signer})` : ''}${event.returnTo ? `→${event.returnTo}` : ''} ⇒ ${state}`);
  return [...head, ...body].join(', ') || '(created)';
}

/** Up to `max` of the paths, spread evenly over the sorted list (deterministic), the longest always in. */
export function choose<T extends { steps: unknown[] }>(paths: T[], max: number): T[] {
  if (paths.length <= max) return paths;
  const longest = paths.reduce((a, b) => (b.steps.length > a.steps.length ? b : a));
  const picked = new Set<T>([longest]);
  for (let i = 0; picked.size < max && i < max * 2; i++) picked.add(paths[Math.floor((i * paths.length) / max) % paths.length]);
  for (const p of paths) if (picked.size < max) picked.add(p);
  return paths.filter((p) => picked.has(p));
}
