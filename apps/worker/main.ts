import 'reflect-metadata';
import { Engine, engineSettingsFromEnv } from '@shenpi/engine';
import { CalendarDeadlinePlanner, emailSettingsFromEnv, startScheduler, webhookSettingsFromEnv, WorkingCalendar } from '@shenpi/scheduling';

/**
 * The deadline worker: BullMQ processors and the reconciler, for PostgreSQL deployments. On
 * SQLite the API process is the only writer and fires deadlines itself, so this refuses to start.
 */
async function main() {
  const { database, auditCrypto } = engineSettingsFromEnv();
  if (!database.url) {
    console.error('apps/worker runs only on PostgreSQL (set DATABASE_URL): on SQLite the API process is the only writer.');
    process.exit(1);
  }
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    console.error('apps/worker needs REDIS_URL: without Redis the API process polls deadlines itself.');
    process.exit(1);
  }
  const calendar = WorkingCalendar.load(process.env.CALENDAR_DIR || 'calendar');
  const webhooks = webhookSettingsFromEnv();
  const engine = await Engine.open({ database, auditCrypto, planner: new CalendarDeadlinePlanner(calendar), webhooks });
  // Uploaded calendar years, and the ones uploaded later through the API (this process plans automatic actions' next steps).
  await engine.calendarYears.load();
  const calendarRefresh = setInterval(() => engine.calendarYears.refresh().catch((err) => console.error(`calendar refresh failed: ${err instanceof Error ? err.message : err}`)), 60_000);
  const scheduler = await startScheduler(engine, {
    redisUrl,
    processors: true,
    queueName: process.env.DEADLINE_QUEUE || undefined,
    webhookSecret: webhooks.secret,
    email: emailSettingsFromEnv(),
    concurrency: Number(process.env.WORKER_CONCURRENCY || 20),
  });
  console.log('shenpi worker: deadline processors and reconciler running');
  const stop = async () => {
    clearInterval(calendarRefresh);
    await scheduler.stop();
    await engine.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
