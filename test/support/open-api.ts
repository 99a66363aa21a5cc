import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CheckpointSigner } from '@shenpi/audit';
import { systemClock, type Clock } from '@shenpi/domain';
import { Engine, type EngineSettings } from '@shenpi/engine';
import { pino } from 'pino';
import { createLogger, Metrics, startMetricsServer, type Logger } from '@shenpi/observability';
import { CalendarDeadlinePlanner, startScheduler, WorkingCalendar } from '@shenpi/scheduling';
import { shippedChains } from '@shenpi/workflows';
import { createApp } from '../../apps/api/app.js';
import { jwtSecretFromEnv, parseTrustProxy } from '../../apps/api/config.js';

/** The working-day calendar the tests plan with, loaded once per process. */
export const testCalendar = WorkingCalendar.load();
export const testPlanner = new CalendarDeadlinePlanner(testCalendar);

export interface ApiOptions extends EngineSettings {
  /** Absent: as `npm start` without JWT_SECRET, the secret generated into (and read again from) the data directory. */
  jwtSecret?: string;
  /** The data directory of a PostgreSQL run without jwtSecret (on SQLite the database file's directory is used). */
  dataDir?: string;
  /** TRUST_PROXY: the proxies whose X-Forwarded-For is believed. */
  trustProxy?: string | false;
  /** Token lifetime; the in-process tests move their clock by days. */
  jwtTtlSeconds?: number;
  clock?: Clock;
  /** The demo organisation with this password, and any users added to it. */
  seed?: { password: string; users?: { username: string; departmentId: string; roles: string[]; displayName?: string }[] };
  /** The embedded scheduler with its processors, as `npm start` runs it on SQLite. */
  scheduler?: boolean;
  /** How a slowed login waits (the in-process tests move their clock instead of sleeping). */
  loginWait?: (ms: number) => Promise<void>;
  /** The audit signing key (PKCS#8 PEM), shared by API processes of one deployment; default: one per process. */
  auditSigningKey?: string;
  /** The built web UI to serve at `/`. */
  webRoot?: string;
  /** A calendar of the test's own (one whose years it uploads); default: the shared `testCalendar`. */
  calendar?: WorkingCalendar;
  /** The JSON log (the engine's and the scheduler's too); default: stdout at LOG_LEVEL, silent when unset (a quiet suite). */
  logger?: Logger;
  /** A JSON line per request at info level into this file, written as in production (the bench: the null device). */
  logTo?: string;
  /** Metrics served on a free port of 127.0.0.1 (`metricsUrl`), as METRICS_PORT does. */
  metrics?: boolean;
  /** REDIS_URL: readiness pings it; with `scheduler`, BullMQ queues (shown on the dashboard) instead of the embedded poller. */
  redisUrl?: string;
  /** The queues' name prefix (each suite its own). */
  queueName?: string;
}

export interface OpenApi {
  engine: Engine;
  app: NestFastifyApplication;
  /** With `metrics`: where GET /metrics answers. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/**
 * The API as apps/api/main.ts opens it (shipped chains, the working-day planner), for every kind of
 * test: in-process (test-app.ts) or in a process of its own (api-process.ts, for the browser, crash
 * and HTTP bench runs). Not yet listening.
 */
export async function openApi(o: ApiOptions): Promise<OpenApi> {
  // One log for the engine, the scheduler's loops and the HTTP app, as main.ts opens it.
  const logger = o.logger ?? (o.logTo ? createLogger({ level: 'info', destination: pino.destination({ dest: o.logTo, sync: false }) }) : createLogger({ level: process.env.LOG_LEVEL || 'silent' }));
  const engine = await Engine.open({
    database: o.database,
    attachments: o.attachments,
    clock: o.clock ?? systemClock,
    shippedChains,
    planner: o.calendar ? new CalendarDeadlinePlanner(o.calendar) : testPlanner,
    ...(o.loginWait ? { loginWait: o.loginWait } : {}),
    ...(o.auditCrypto ? { auditCrypto: o.auditCrypto } : {}),
    ...(o.auditSigningKey ? { checkpointSigner: CheckpointSigner.fromPem(o.auditSigningKey) } : {}),
    log: logger,
  });
  if (o.seed) {
    await engine.directory.seedDemo(o.seed.password);
    for (const u of o.seed.users ?? []) await engine.directory.addUser({ ...u, password: o.seed.password });
  }
  // As main.ts: the years administrators uploaded.
  await engine.calendarYears.load();
  const scheduler = o.scheduler ? await startScheduler(engine, { processors: true, redisUrl: o.redisUrl, queueName: o.queueName }) : undefined;
  const metrics = o.metrics ? new Metrics(engine) : undefined;
  if (metrics) engine.observe(metrics);
  const metricsServer = metrics ? await startMetricsServer(metrics, 0) : undefined;
  const jwtSecret = o.jwtSecret ?? jwtSecretFromEnv(o.database.url ? { DATABASE_URL: o.database.url, DATA_DIR: o.dataDir } : { SQLITE_PATH: o.database.sqlitePath }).secret;
  const trustProxy = parseTrustProxy(o.trustProxy || undefined);
  const app = await createApp(engine, { jwtSecret, jwtTtlSeconds: o.jwtTtlSeconds ?? 3600, bodyLimitBytes: 1024 * 1024, trustProxy }, {
    logger,
    metrics,
    redisUrl: o.redisUrl,
    queues: [scheduler?.queue?.queue, scheduler?.webhookQueue?.queue].filter((q) => !!q),
    swaggerUi: false,
    calendar: o.calendar ?? testCalendar,
    ...(o.webRoot ? { webRoot: o.webRoot } : {}),
  });
  return {
    engine,
    app,
    ...(metricsServer ? { metricsUrl: `http://127.0.0.1:${metricsServer.port}/metrics` } : {}),
    async close() {
      await app.close();
      await metricsServer?.close();
      await scheduler?.stop();
      await engine.close();
    },
  };
}
