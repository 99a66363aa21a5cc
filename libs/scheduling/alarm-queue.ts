import { Queue, type ConnectionOptions } from 'bullmq';
import type { Alarm, AlarmClock } from '@shenpi/domain';
import { failure, type Log } from '@shenpi/engine';

export const DEADLINE_QUEUE = 'shenpi-deadlines';
export const WEBHOOK_QUEUE = 'shenpi-webhooks';

export interface AlarmJob {
  id: string;
}

const PREFIX: Record<Alarm['kind'], string> = { deadline: 'dl', webhook: 'wh' };

/** BullMQ job ids never contain ':' and are never all digits; the row version makes a re-armed row a new job. */
export const alarmJobId = (a: Pick<Alarm, 'kind' | 'id' | 'version'>) => `${PREFIX[a.kind]}-${a.id}-${a.version}`;

/**
 * One BullMQ queue of delayed wake-ups for one kind of row. Adding a job whose id exists is a
 * no-op, so the reconciler may re-add everything pending without doubling anything.
 */
export class AlarmQueue implements AlarmClock {
  readonly queue: Queue<AlarmJob>;

  constructor(
    connection: ConnectionOptions,
    name: string,
    readonly kind: Alarm['kind'],
    private readonly log: Log,
  ) {
    this.queue = new Queue<AlarmJob>(name, { connection });
    // Without a listener BullMQ prints each Redis error object on stderr; one JSON line instead.
    this.queue.on('error', (err) => this.log.error({ component: 'redis', queue: name, ...failure(err) }, 'queue connection failed'));
  }

  wake(alarms: readonly Alarm[]): void {
    // The rows are the truth: the reconciler enqueues what this missed.
    void this.enqueue(alarms).catch((err) => this.log.error({ component: 'alarm-queue', queue: this.queue.name, ...failure(err) }, 'wake-ups not enqueued; the reconciler enqueues them later'));
  }

  async enqueue(alarms: readonly Alarm[], now = Date.now()): Promise<void> {
    const mine = alarms.filter((a) => a.kind === this.kind);
    if (!mine.length) return;
    await this.queue.addBulk(
      mine.map((a) => ({
        name: a.kind,
        data: { id: a.id },
        opts: {
          jobId: alarmJobId(a),
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
