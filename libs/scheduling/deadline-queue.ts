import { Queue, type ConnectionOptions } from 'bullmq';
import type { Alarm, AlarmClock } from '@shenpi/domain';

export const DEADLINE_QUEUE = 'shenpi-deadlines';

export interface DeadlineJob {
  deadlineId: string;
}

/** BullMQ job ids never contain ':' and are never all digits; the row version makes a re-armed row a new job. */
export const deadlineJobId = (a: Pick<Alarm, 'id' | 'version'>) => `dl-${a.id}-${a.version}`;

/**
 * The BullMQ alarm clock: a delayed job per deadline row. Adding a job whose id exists is a no-op,
 * so the reconciler may re-add everything pending without doubling anything.
 */
export class DeadlineQueue implements AlarmClock {
  readonly queue: Queue<DeadlineJob>;

  constructor(connection: ConnectionOptions, name = DEADLINE_QUEUE) {
    this.queue = new Queue<DeadlineJob>(name, { connection });
  }

  wake(alarms: readonly Alarm[]): void {
    void this.enqueue(alarms).catch((err) => console.error(`deadline queue: ${err instanceof Error ? err.message : err}`));
  }

  async enqueue(alarms: readonly Alarm[], now = Date.now()): Promise<void> {
    if (!alarms.length) return;
    await this.queue.addBulk(
      alarms.map((a) => ({
        name: 'deadline',
        data: { deadlineId: a.id },
        opts: {
          jobId: deadlineJobId(a),
          delay: Math.max(0, Date.parse(a.fireAt) - now),
          attempts: 8,
          backoff: { type: 'exponential', delay: 500 },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      })),
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
