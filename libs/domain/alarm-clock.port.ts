/** A deadline row as the scheduler needs it: which row, when, and which version of it. */
export interface Alarm {
  id: string;
  fireAt: string;
  version: number;
}

/**
 * The engine's only view of the scheduler: after a commit it says "these deadline rows were
 * written". BullMQ and the embedded poller implement it (libs/scheduling); the rows stay the truth,
 * so a lost wake-up only delays a deadline until the reconciler's next pass.
 */
export interface AlarmClock {
  wake(alarms: readonly Alarm[]): void;
}

export const silentAlarmClock: AlarmClock = { wake: () => undefined };
