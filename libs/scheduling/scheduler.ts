import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { failure, type Engine } from '@shenpi/engine';
import { AlarmQueue, DEADLINE_QUEUE, WEBHOOK_QUEUE } from './alarm-queue.js';
import { startDeadlineWorker } from './deadline.processor.js';
import { DeadlineReconciler } from './deadline-reconciler.js';
import { EmbeddedPoller } from './embedded-poller.js';
import { NotificationFeedLoop } from './notification-feed-loop.js';
import { EmailDeliverer, type EmailSettings } from './email-deliverer.js';
import type { SchedulerKind } from './scheduler-kind.js';
import { WebhookDeliverer } from './webhook-deliverer.js';
import { startWebhookWorker } from './webhook.processor.js';

export interface SchedulerOptions {
  redisUrl?: string;
  /** Run the BullMQ processors and the reconciler in this process (the API on SQLite, apps/worker). */
  processors: boolean;
  /** Prefix of the queue names (tests use their own). */
  queueName?: string;
  /** Signs webhook deliveries; without it, nothing is sent (and no URL should be configured). */
  webhookSecret?: string;
  /** SMTP for notifications by e-mail (SMTP_URL); without it, in-app only. */
  email?: EmailSettings;
  pollIntervalMs?: number;
  reconcileIntervalMs?: number;
  concurrency?: number;
}

export interface Scheduler {
  kind: SchedulerKind;
  poller?: EmbeddedPoller;
  queue?: AlarmQueue;
  webhookQueue?: AlarmQueue;
  reconciler?: DeadlineReconciler;
  deliverer?: WebhookDeliverer;
  /** Notifications of new work and decisions, from the audit log (with the processors). */
  feed?: NotificationFeedLoop;
  mailer?: EmailDeliverer;
  stop(): Promise<void>;
}

/** Plugs the alarm clock into the engine: BullMQ with REDIS_URL, the in-process poller without. */
export async function startScheduler(engine: Engine, options: SchedulerOptions): Promise<Scheduler> {
  const deliverer = options.webhookSecret ? new WebhookDeliverer(engine, options.webhookSecret) : undefined;
  const feed = options.processors ? new NotificationFeedLoop(engine) : undefined;
  feed?.start();
  const mailer = options.processors && options.email ? new EmailDeliverer(engine, options.email) : undefined;
  mailer?.start();
  /** What runs beside the alarm clock, whichever it is: the notification feed and the e-mail deliverer. */
  const stopNotifiers = async () => {
    await feed?.stop();
    await mailer?.stop();
  };
  if (!options.redisUrl) {
    const poller = new EmbeddedPoller(engine, options.pollIntervalMs, deliverer);
    engine.useAlarmClock(poller);
    if (options.processors) poller.start();
    return {
      kind: 'embedded',
      poller,
      deliverer,
      feed,
      mailer,
      async stop() {
        await stopNotifiers();
        await poller.stop();
      },
    };
  }
  // Workers need maxRetriesPerRequest: null (they block and wait for Redis to come back); the
  // producer fails fast instead, so a commit never waits on a Redis that is down: the rows are the
  // truth and the reconciler enqueues them again later.
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const producer = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  producer.on('error', (err) => engine.log.error({ component: 'redis', connection: 'producer', ...failure(err) }, 'redis connection failed'));
  connection.on('error', (err) => engine.log.error({ component: 'redis', connection: 'workers', ...failure(err) }, 'redis connection failed'));
  // Start without Redis if it does not answer soon: deadlines still fire from the rows.
  await Promise.race([once(producer, 'ready').catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
  const names = { deadline: options.queueName ?? DEADLINE_QUEUE, webhook: options.queueName ? `${options.queueName}-webhooks` : WEBHOOK_QUEUE };
  const queue = new AlarmQueue(producer, names.deadline, 'deadline', engine.log);
  const webhookQueue = new AlarmQueue(producer, names.webhook, 'webhook', engine.log);
  engine.useAlarmClock({ wake: (alarms) => (queue.wake(alarms), webhookQueue.wake(alarms)) });
  const workers: Worker[] = [];
  let reconciler: DeadlineReconciler | undefined;
  if (options.processors) {
    workers.push(startDeadlineWorker(engine, connection, names.deadline, options.concurrency));
    if (deliverer) workers.push(startWebhookWorker(deliverer, connection, names.webhook));
    // Without a listener BullMQ prints each error object on stderr; one JSON line instead.
    for (const w of workers) w.on('error', (err) => engine.log.error({ component: 'redis', worker: w.name, ...failure(err) }, 'queue worker failed'));
    reconciler = new DeadlineReconciler(engine, queue, deliverer && { queue: webhookQueue, deliverer }, options.reconcileIntervalMs);
    reconciler.start();
  }
  return {
    kind: 'bullmq',
    queue,
    webhookQueue,
    reconciler,
    deliverer,
    feed,
    mailer,
    async stop() {
      await stopNotifiers();
      reconciler?.stop();
      await Promise.all(workers.map((w) => w.close()));
      await queue.close();
      await webhookQueue.close();
      connection.disconnect();
      producer.disconnect();
    },
  };
}
