import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Engine } from '@shenpi/engine';
import type { AlarmJob } from './alarm-queue.js';

/** Turns a delivered job into the row's effect; the row's conditional claim makes redelivery harmless. */
export function startDeadlineWorker(engine: Engine, connection: ConnectionOptions, queueName: string, concurrency = 20): Worker<AlarmJob> {
  return new Worker<AlarmJob>(
    queueName,
    async (job: Job<AlarmJob>) => {
      const outcome = await engine.deadlines.fire(job.data.id);
      // Woken before the row is due (clocks disagree): fail so BullMQ retries with backoff.
      if (outcome === 'not-due') throw new Error(`deadline ${job.data.id} is not due yet`);
      return outcome;
    },
    { connection, concurrency },
  );
}
