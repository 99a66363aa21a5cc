import 'reflect-metadata';
import { Engine, engineSettingsFromEnv, failure } from '@shenpi/engine';
import { createLogger, Metrics, metricsPortFromEnv, startMetricsServer, type Logger } from '@shenpi/observability';
import { CalendarDeadlinePlanner, emailSettingsFromEnv, startScheduler, webhookSettingsFromEnv, WorkingCalendar } from '@shenpi/scheduling';

/** The process's JSON log, once LOG_LEVEL is read: the engine and the scheduler's loops write to it too. */
let logger: Logger | undefined;

/**
 * The deadline worker: BullMQ processors and the reconciler, for PostgreSQL deployments. On
 * SQLite the API process is the only writer and fires deadlines itself, so this refuses to start.
 */
async function main() {
  const log = (logger = createLogger({ name: 'worker' }));
  const { database, auditCrypto } = engineSettingsFromEnv();
  if (!database.url) throw new Error('apps/worker runs only on PostgreSQL (set DATABASE_URL): on SQLite the API process is the only writer.');
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) throw new Error('apps/worker needs REDIS_URL: without Redis the API process polls deadlines itself.');
  const calendar = WorkingCalendar.load(process.env.CALENDAR_DIR || 'calendar');
  const webhooks = webhookSettingsFromEnv();
  const engine = await Engine.open({ database, auditCrypto, planner: new CalendarDeadlinePlanner(calendar), webhooks, log });
  // Uploaded calendar years, and the ones uploaded later through the API (this process plans automatic actions' next steps).
  await engine.calendarYears.load();
  const calendarRefresh = setInterval(() => engine.calendarYears.refresh().catch((err) => log.error({ component: 'calendar', ...failure(err) }, 'calendar refresh failed')), 60_000);
  // The worker's own series (deadline lateness, writer, sequencer, backlogs) on its own METRICS_PORT.
  const metricsPort = metricsPortFromEnv();
  const metrics = metricsPort === null ? undefined : new Metrics(engine);
  if (metrics) engine.observe(metrics);
  const metricsServer = metrics && (await startMetricsServer(metrics, metricsPort!, process.env.METRICS_HOST || '127.0.0.1'));
  const scheduler = await startScheduler(engine, {
    redisUrl,
    processors: true,
    queueName: process.env.DEADLINE_QUEUE || undefined,
    webhookSecret: webhooks.secret,
    email: emailSettingsFromEnv(),
    concurrency: Number(process.env.WORKER_CONCURRENCY || 20),
  });
  log.info({ metricsPort: metricsServer?.port ?? null }, 'shenpi worker: deadline processors and reconciler running');
  const stop = async () => {
    clearInterval(calendarRefresh);
    await scheduler.stop();
    await metricsServer?.close();
    await engine.close();
    log.flush();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  // Before the log is open (LOG_LEVEL refused), the reason goes to stderr as it is.
  if (!logger) console.error(err instanceof Error ? err.message : err);
  else logger.fatal(failure(err), 'worker not started');
  process.exit(1);
});
