/** A row the scheduler must act on at a time: a deadline, or a webhook delivery to attempt. */
export interface Alarm {
  kind: 'deadline' | 'webhook';
  id: string;
  fireAt: string;
  version: number;
}

/**
 * The engine's only view of the scheduler: after a commit the writer queue says "these rows were
 * written". BullMQ and the embedded poller implement it (libs/scheduling); the rows stay the truth,
 * so a lost wake-up only delays a deadline until the reconciler's next pass.
 */
export interface AlarmClock {
  wake(alarms: readonly Alarm[]): void;
}

export const silentAlarmClock: AlarmClock = { wake: () => undefined };
