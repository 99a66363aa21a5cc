import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { AlarmJob } from './alarm-queue.js';
import type { WebhookDeliverer } from './webhook-deliverer.js';

/** One attempt per job; a failed attempt re-arms the row, which enqueues the next attempt as a new job. */
export function startWebhookWorker(deliverer: WebhookDeliverer, connection: ConnectionOptions, queueName: string, concurrency = 10): Worker<AlarmJob> {
  return new Worker<AlarmJob>(queueName, (job: Job<AlarmJob>) => deliverer.deliver(job.data.id), { connection, concurrency });
}
