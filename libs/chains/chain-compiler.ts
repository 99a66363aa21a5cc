import { assign, initialTransition, setup, transition, type AnyMachineSnapshot } from 'xstate';
import type { ChainDefinition, StepDefinition, TransitionDefinition } from './chain-definition.schema.js';

/** Bumped when the compiler's output for the same definition changes; stored on each document. */
export const COMPILER_VERSION = 1;

/** A document's persisted position: one flat step key and the context (countersign progress, rounds). */
export interface ChainContext {
  /** How many times each step has been entered: a task's `round`. */
  rounds: Record<string, number>;
}

export interface ChainEvent {
  type: string;
  returnTo?: string;
}

export interface ChainPosition {
  stateKey: string;
  context: ChainContext;
}

/** One chain version compiled to an XState machine, with the pure operations the engine needs. */
export class CompiledChain {
  private readonly steps: Map<string, StepDefinition>;

  constructor(
    readonly definition: ChainDefinition,
    readonly machine: ReturnType<typeof buildMachine>,
  ) {
    this.steps = new Map(definition.steps.map((s) => [s.key, s]));
  }

  step(key: string): StepDefinition {
    const step = this.steps.get(key);
    if (!step) throw new Error(`chain ${this.definition.key} has no step "${key}"`);
    return step;
  }

  initial(): ChainPosition {
    const [snapshot] = initialTransition(this.machine);
    return toPosition(snapshot);
  }

  restore(position: ChainPosition): AnyMachineSnapshot {
    return this.machine.resolveState({ value: position.stateKey, context: position.context });
  }

  can(position: ChainPosition, event: ChainEvent): boolean {
    return this.restore(position).can(event);
  }

  /** The next position, or null when the machine does not take the event here. Pure: no actor runs. */
  next(position: ChainPosition, event: ChainEvent): ChainPosition | null {
    const snapshot = this.restore(position);
    if (!snapshot.can(event)) return null;
    const [nextSnapshot] = transition(this.machine, snapshot, event);
    return toPosition(nextSnapshot);
  }

  /** The transition definition an action uses in a step, if the step declares it. */
  transitionFor(stepKey: string, action: string): TransitionDefinition | undefined {
    return this.step(stepKey).transitions.find((t) => t.action === action);
  }

  /**
   * The way forward from a step when every decision approves: each step's first transition that
   * moves on to a later step. Planning counts the remaining steps along it.
   */
  mainPath(from: string): StepDefinition[] {
    const order = this.definition.steps.map((s) => s.key);
    const path: StepDefinition[] = [];
    for (let step = this.step(from); !step.final; ) {
      const forward = step.transitions.find((t) => t.to && order.indexOf(t.to) > order.indexOf(step.key));
      if (!forward || path.length > order.length) break;
      step = this.step(forward.to!);
      path.push(step);
    }
    return path;
  }

  /** Every action any step declares, with who may take it: for 403-versus-409 decisions. */
  declaredActions(): TransitionDefinition[] {
    return this.definition.steps.flatMap((s) => s.transitions);
  }
}

function toPosition(snapshot: AnyMachineSnapshot): ChainPosition {
  if (typeof snapshot.value !== 'string') throw new Error('chain states must be flat');
  return { stateKey: snapshot.value, context: snapshot.context as ChainContext };
}

function buildMachine(definition: ChainDefinition) {
  return setup({
    types: {} as { context: ChainContext; events: ChainEvent },
    guards: {
      returnsTo: ({ event }, params: { to: string; fallback: string | undefined }) => (event.returnTo ?? params.fallback) === params.to,
    },
    actions: {
      countEntry: assign(({ context }, params: { step: string }) => ({
        rounds: { ...context.rounds, [params.step]: (context.rounds[params.step] ?? 0) + 1 },
      })),
      // Targetless events (edit, delegate) need an action, or XState reports them as not allowed.
      stay: () => undefined,
    },
  }).createMachine({
    id: definition.key,
    initial: definition.initial,
    context: { rounds: {} },
    states: Object.fromEntries(
      definition.steps.map((step) => [
        step.key,
        {
          ...(step.final ? { type: 'final' as const } : {}),
          entry: [{ type: 'countEntry' as const, params: { step: step.key } }],
          on: Object.fromEntries([
            ...step.transitions.map((t) => [t.action, compileTransition(t)]),
            ...(step.editable ? [['edit', { actions: 'stay' as const }]] : []),
            ...(step.assignee ? [['delegate', { actions: 'stay' as const }]] : []),
          ]),
        },
      ]),
    ),
  });
}

// Every targeted transition is guarded: an event naming a `returnTo` the step does not allow is not taken.
function compileTransition(t: TransitionDefinition) {
  if (!t.to) return { actions: 'stay' as const };
  const targets = t.returnTo?.length ? t.returnTo : [t.to];
  return targets.map((to) => ({ target: to, reenter: true, guard: { type: 'returnsTo' as const, params: { to, fallback: t.to } } }));
}

export function compileChain(definition: ChainDefinition): CompiledChain {
  return new CompiledChain(definition, buildMachine(definition));
}
