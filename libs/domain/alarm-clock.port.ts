/**
 * The engine's only view of the scheduler: after a commit it says "these deadline rows changed".
 * BullMQ and the embedded poller implement it (libs/scheduling); the database stays the truth.
 */
export interface AlarmClock {
  wake(deadlineIds: readonly string[]): void;
}

export const silentAlarmClock: AlarmClock = { wake: () => undefined };
