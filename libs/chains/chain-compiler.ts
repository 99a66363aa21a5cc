import { assign, createActor, initialTransition, setup, type AnyActorScope, type AnyMachineSnapshot } from 'xstate';
import type { ChainDefinition, StepDefinition, TransitionDefinition } from './chain-definition.schema.js';
import { holds, type DocumentFields } from './conditions.js';
import { addSigner, isDecisive, recordDecision, slotOf, startSigning, voteOf, type Signer, type Signing, type Vote } from './signing.js';

/**
 * Events the engine gives steps besides their transitions, and the only such events: editing an
 * editable step, and handing on a signed step's tasks. The API routes each to its own endpoint.
 */
export const EDIT_EVENTS = ['edit', 'attach'] as const;
export const TASK_EVENTS = ['delegate', 'reassign', 'add-signer'] as const;
export const BUILT_IN_EVENTS: readonly BuiltInEvent[] = [...EDIT_EVENTS, ...TASK_EVENTS];
export type BuiltInEvent = (typeof EDIT_EVENTS)[number] | (typeof TASK_EVENTS)[number];
export const isBuiltInEvent = (action: string): action is BuiltInEvent => (BUILT_IN_EVENTS as readonly string[]).includes(action);

/** Bumped when the compiler's output for the same definition changes; stored on each document. */
export const COMPILER_VERSION = 2;

/** A document's persisted position: one flat step key and the context (countersign progress, rounds). */
export interface ChainContext {
  /** How many times each step has been entered: a task's `round`. */
  rounds: Record<string, number>;
  /** The current step's signers and their votes; absent in a step nobody signs. */
  signing?: Signing;
}

export interface ChainEvent {
  type: string;
  returnTo?: string;
  /** The signer whose task decides (a task's `signer`). */
  signer?: string;
  /** The document's fields, for conditional steps. */
  fields?: DocumentFields;
  /** 加签: who is added, and whether before or after the caller. */
  added?: Omit<Signer, 'id'>;
  position?: 'before' | 'after';
}

export interface ChainPosition {
  stateKey: string;
  context: ChainContext;
}

/** One chain version compiled to an XState machine, with the pure operations the engine needs. */
export class CompiledChain {
  private readonly steps: Map<string, StepDefinition>;
  private scope?: AnyActorScope;

  constructor(
    readonly definition: ChainDefinition,
    readonly machine: ReturnType<typeof buildMachine>,
    readonly routing: Routing,
  ) {
    this.steps = new Map(definition.steps.map((s) => [s.key, s]));
  }

  step(key: string): StepDefinition {
    const step = this.steps.get(key);
    if (!step) throw new Error(`chain ${this.definition.key} has no step "${key}"`);
    return step;
  }

  hasStep(key: string): boolean {
    return this.steps.has(key);
  }

  initial(): ChainPosition {
    const [snapshot] = initialTransition(this.machine);
    return toPosition(snapshot);
  }

  /** Where a document moved onto this version stands: entering `stateKey` afresh, its rounds kept. */
  positionAt(stateKey: string, rounds: Record<string, number>): ChainPosition {
    return { stateKey, context: { rounds: { ...rounds, [stateKey]: (rounds[stateKey] ?? 0) + 1 }, signing: startSigning(this.step(stateKey)) } };
  }

  /** Documents stored before countersign existed have no `signing`: their step starts it afresh. */
  restore(position: ChainPosition): AnyMachineSnapshot {
    const context: ChainContext = { ...position.context, rounds: position.context.rounds ?? {} };
    if (!('signing' in context)) context.signing = startSigning(this.step(position.stateKey));
    return this.machine.resolveState({ value: position.stateKey, context });
  }

  can(position: ChainPosition, event: ChainEvent): boolean {
    return this.restore(position).can(event);
  }

  /** The next position, or null when the machine does not take the event here. Pure: no actor runs. */
  next(position: ChainPosition, event: ChainEvent): ChainPosition | null {
    const snapshot = this.restore(position);
    if (!snapshot.can(event)) return null;
    return toPosition(this.machine.transition(snapshot, event, this.inertScope()));
  }

  /**
   * What xstate's `transition()` does, with the actor scope made once per chain: `transition()`
   * builds a whole actor (and the machine's initial state) on every call, a sixth of a decision's
   * CPU. Safe to share: a transition runs synchronously, our machines only `assign` (applied while
   * resolving, not through the executor) and spawn nothing.
   */
  private inertScope(): AnyActorScope {
    if (!this.scope) {
      const self = createActor(this.machine);
      const ignore = () => undefined;
      this.scope = { self, id: '', sessionId: '', system: self.system, logger: ignore, defer: ignore, emit: ignore, stopChild: ignore, actionExecutor: ignore } as unknown as AnyActorScope;
    }
    return this.scope;
  }

  /** The transition definition an action uses in a step, if the step declares it. */
  transitionFor(stepKey: string, action: string): TransitionDefinition | undefined {
    return this.step(stepKey).transitions.find((t) => t.action === action);
  }

  /**
   * The way forward from a step when every decision approves: each step's first transition to a
   * later step, without the conditional steps the fields rule out. Planning counts the steps along it.
   */
  mainPath(from: string, fields?: DocumentFields): StepDefinition[] {
    const path: StepDefinition[] = [];
    for (let step = this.step(from), hops = 0; !step.final && hops <= this.definition.steps.length; hops++) {
      const forward = forwardOf(this.definition, step);
      if (!forward) break;
      step = this.step(forward);
      // With the document's fields known, a conditional step that does not apply is passed over.
      if (!fields || !step.when || holds(step.when, fields)) path.push(step);
    }
    return path;
  }

  /** Every action any step declares, with who may take it: for 403-versus-409 decisions. */
  declaredActions(): TransitionDefinition[] {
    return this.definition.steps.flatMap((s) => s.transitions);
  }
}

/** The step a step leads to when it passes: its first transition to a later step. */
export function forwardOf(definition: ChainDefinition, step: StepDefinition): string | undefined {
  const order = definition.steps.map((s) => s.key);
  return step.transitions.find((t) => t.to && order.indexOf(t.to) > order.indexOf(step.key))?.to;
}

function toPosition(snapshot: AnyMachineSnapshot): ChainPosition {
  if (typeof snapshot.value !== 'string') throw new Error('chain states must be flat');
  return { stateKey: snapshot.value, context: snapshot.context as ChainContext };
}

/**
 * Where a transition into a step goes when that step is conditional: a step whose condition does
 * not hold on the document's fields is passed over, on to where it would lead when approved. Built
 * once per chain; the walk and the machine's guards both route through it.
 */
export class Routing {
  private readonly steps: Map<string, StepDefinition>;
  private readonly forward = new Map<string, string | undefined>();
  /** Per event (or walk variant): where each target resolved to, as the guards of one event ask again and again. */
  private readonly resolved = new WeakMap<object, Map<string, string>>();

  constructor(definition: ChainDefinition) {
    this.steps = new Map(definition.steps.map((s) => [s.key, s]));
    const order = new Map(definition.steps.map((s, i) => [s.key, i]));
    for (const step of definition.steps) {
      // The way forward: the step's first transition to a later step (see forwardOf).
      this.forward.set(step.key, step.transitions.find((t) => t.to && (order.get(t.to) ?? -1) > order.get(step.key)!)?.to);
    }
  }

  /** The steps a transition into `to` may enter: `to`, then, while each is conditional, the step it leads to. */
  candidates(to: string): string[] {
    const run = [to];
    for (let key = to; this.steps.get(key)?.when && this.forward.get(key); ) run.push((key = this.forward.get(key)!));
    return run;
  }

  /**
   * The step a transition into `to` enters for these fields: the first along its candidates that
   * applies. `asked` names the question (the event): it and the fields must not change after.
   */
  resolve(to: string, fields: DocumentFields, asked: object = fields): string {
    let memo = this.resolved.get(asked);
    if (!memo) this.resolved.set(asked, (memo = new Map()));
    let target = memo.get(to);
    if (target === undefined) {
      target = to;
      for (let step = this.steps.get(to)!; step.when && !holds(step.when, fields) && this.forward.get(step.key); step = this.steps.get(target)!) target = this.forward.get(step.key)!;
      memo.set(to, target);
    }
    return target;
  }
}

const NO_FIELDS: DocumentFields = Object.freeze({});

interface TakesParams {
  to: string;
  fallback: string | undefined;
  vote: Vote | null;
  target: string;
}

function buildMachine(definition: ChainDefinition, routing: Routing) {
  const compileTransition = (step: StepDefinition, t: TransitionDefinition) => {
    const signed = !t.by && startSigning(step) !== undefined;
    const vote = signed ? voteOf(t) : null;
    const stayAndCount = signed ? [{ guard: { type: 'counts' as const, params: { vote: vote! } }, actions: { type: 'record' as const, params: { vote: vote! } } }] : [];
    if (!t.to) return [{ ...(signed ? { guard: 'isSigner' as const } : {}), actions: 'stay' as const }];
    const targets = t.returnTo?.length ? t.returnTo : [t.to];
    const moves = targets.flatMap((to) =>
      routing.candidates(to).map((target) => ({
        target,
        reenter: true,
        guard: { type: 'takes' as const, params: { to, fallback: t.to, vote, target } satisfies TakesParams },
      })),
    );
    return [...moves, ...stayAndCount];
  };

  return setup({
    types: {} as { context: ChainContext; events: ChainEvent },
    guards: {
      // The event goes this way: the returnTo it names (or the default), the step's conditions on
      // the document's fields, and for a signed step a decision that settles it.
      takes: ({ context, event }, p: TakesParams) => {
        if (p.to && (event.returnTo ?? p.fallback) !== p.to) return false;
        if (routing.resolve(p.to, event.fields ?? NO_FIELDS, event) !== p.target) return false;
        return p.vote === null || isDecisive(context.signing, event.signer, p.vote);
      },
      // A decision by a current signer that does not settle the step: it is counted, and the step stays.
      counts: ({ context, event }, p: { vote: Vote }) =>
        slotOf(context.signing, event.signer) >= 0 && !isDecisive(context.signing, event.signer, p.vote),
      isSigner: ({ context, event }) => slotOf(context.signing, event.signer) >= 0,
    },
    actions: {
      enter: assign(({ context }, p: { step: string; signing: Signing | undefined }) => ({
        rounds: { ...context.rounds, [p.step]: (context.rounds[p.step] ?? 0) + 1 },
        signing: p.signing,
      })),
      record: assign(({ context, event }, p: { vote: Vote }) => ({ signing: recordDecision(context.signing!, event.signer!, p.vote) })),
      addSigner: assign(({ context, event }) => ({
        signing: addSigner(context.signing!, event.signer!, event.added!, event.position ?? 'after'),
      })),
      // Targetless events (edit, delegate) need an action, or XState reports them as not allowed.
      stay: () => undefined,
    },
  }).createMachine({
    id: definition.key,
    initial: definition.initial,
    context: { rounds: {} },
    states: Object.fromEntries(
      definition.steps.map((step) => {
        const signed = startSigning(step) !== undefined;
        return [
          step.key,
          {
            ...(step.final ? { type: 'final' as const } : {}),
            entry: [{ type: 'enter' as const, params: { step: step.key, signing: startSigning(step) } }],
            on: Object.fromEntries([
              ...step.transitions.map((t) => [t.action, compileTransition(step, t)]),
              ...(step.editable ? EDIT_EVENTS.map((e) => [e, { actions: 'stay' as const }]) : []),
              ...(signed ? TASK_EVENTS.map((e) => [e, { guard: 'isSigner' as const, actions: e === 'add-signer' ? ('addSigner' as const) : ('stay' as const) }]) : []),
            ]),
          },
        ];
      }),
    ),
  });
}

export function compileChain(definition: ChainDefinition): CompiledChain {
  const routing = new Routing(definition);
  return new CompiledChain(definition, buildMachine(definition, routing), routing);
}
