import type { StepDefinition } from '@shenpi/chains';

export type TimerKind = 'due' | 'reminder' | 'escalation' | 'auto-action';

/** One deadline row to write when a step is entered. */
export interface PlannedTimer {
  kind: TimerKind;
  fireAt: Date;
  /** Computed on a year without official calendar data. */
  provisional: boolean;
  payload: Record<string, unknown>;
}

/**
 * Turns a step's deadline settings into instants. The working-day calendar lives in
 * libs/scheduling, which implements this port; the engine only writes the rows.
 */
export interface DeadlinePlanner {
  plan(step: StepDefinition, enteredAt: Date, documentYear: number): PlannedTimer[];
}

export const noDeadlines: DeadlinePlanner = { plan: () => [] };
