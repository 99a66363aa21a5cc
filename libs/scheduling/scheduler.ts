import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import type { Engine } from '@shenpi/engine';
import { startDeadlineWorker } from './deadline.processor.js';
import { DEADLINE_QUEUE, DeadlineQueue } from './deadline-queue.js';
import { DeadlineReconciler } from './deadline-reconciler.js';
import { EmbeddedPoller } from './embedded-poller.js';
import type { SchedulerKind } from './scheduler-kind.js';

export interface SchedulerOptions {
  redisUrl?: string;
  /** Run the BullMQ processors and the reconciler in this process (the API on SQLite, apps/worker). */
  processors: boolean;
  queueName?: string;
  pollIntervalMs?: number;
  reconcileIntervalMs?: number;
  concurrency?: number;
}

export interface Scheduler {
  kind: SchedulerKind;
  poller?: EmbeddedPoller;
  queue?: DeadlineQueue;
  reconciler?: DeadlineReconciler;
  stop(): Promise<void>;
}

/** Plugs the alarm clock into the engine: BullMQ with REDIS_URL, the in-process poller without. */
export async function startScheduler(engine: Engine, options: SchedulerOptions): Promise<Scheduler> {
  if (!options.redisUrl) {
    const poller = new EmbeddedPoller(engine, options.pollIntervalMs);
    engine.useAlarmClock(poller);
    if (options.processors) poller.start();
    return { kind: 'embedded', poller, stop: () => poller.stop() };
  }
  // BullMQ workers need maxRetriesPerRequest: null on their connection.
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new DeadlineQueue(connection, options.queueName ?? DEADLINE_QUEUE);
  engine.useAlarmClock(queue);
  let worker: Worker | undefined;
  let reconciler: DeadlineReconciler | undefined;
  if (options.processors) {
    worker = startDeadlineWorker(engine, connection, options.concurrency, options.queueName ?? DEADLINE_QUEUE);
    reconciler = new DeadlineReconciler(engine, queue, options.reconcileIntervalMs);
    await reconciler.tick();
    reconciler.start();
  }
  return {
    kind: 'bullmq',
    queue,
    reconciler,
    async stop() {
      reconciler?.stop();
      await worker?.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
