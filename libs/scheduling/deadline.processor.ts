import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Engine } from '@shenpi/engine';
import { DEADLINE_QUEUE, type DeadlineJob } from './deadline-queue.js';

/** Turns a delivered job into the row's effect; the row's conditional claim makes redelivery harmless. */
export function startDeadlineWorker(engine: Engine, connection: ConnectionOptions, concurrency = 20, name = DEADLINE_QUEUE): Worker<DeadlineJob> {
  return new Worker<DeadlineJob>(
    name,
    async (job: Job<DeadlineJob>) => {
      const outcome = await engine.deadlines.fire(job.data.deadlineId);
      // Woken before the row is due (clocks disagree): fail so BullMQ retries with backoff.
      if (outcome === 'not-due') throw new Error(`deadline ${job.data.deadlineId} is not due yet`);
      return outcome;
    },
    { connection, concurrency },
  );
}
