import 'reflect-metadata';
import { checkpointSignerFromEnv, keyIdOf, trustedKeysFromEnv } from '@shenpi/audit';
import { Engine, engineSettingsFromEnv, failure } from '@shenpi/engine';
import { createLogger, Metrics, startMetricsServer, type Logger } from '@shenpi/observability';
import { CalendarDeadlinePlanner, emailSettingsFromEnv, startScheduler, webhookSettingsFromEnv, WorkingCalendar } from '@shenpi/scheduling';
import { shippedChains } from '@shenpi/workflows';
import { createApp } from './app.js';
import { apiConfigFromEnv } from './config.js';

/** How often a process of a PostgreSQL deployment looks for a calendar year another process stored. */
const CALENDAR_REFRESH_MS = 60_000;

/** The process's JSON log, once LOG_LEVEL is read: the engine, the scheduler's loops and the HTTP app write to it. */
let logger: Logger | undefined;

async function main() {
  const config = apiConfigFromEnv();
  const log = (logger = createLogger({ level: config.logLevel }));
  const { database, attachments, auditCrypto } = engineSettingsFromEnv();
  const calendar = WorkingCalendar.load(process.env.CALENDAR_DIR || 'calendar');
  const webhooks = webhookSettingsFromEnv();
  const checkpointSigner = checkpointSignerFromEnv();
  // A key `audit rotate-key` retired signs nothing more: checked at start and before each signature.
  const keyRetired = () => trustedKeysFromEnv().some((k) => keyIdOf(k.publicKey) === checkpointSigner.keyId);
  if (keyRetired()) throw new Error(`the audit signing key ${checkpointSigner.keyId} was retired (audit rotate-key): the key file holds an old key`);
  const engine = await Engine.open({ database, shippedChains, planner: new CalendarDeadlinePlanner(calendar), webhooks,
    attachments,
    checkpointSigner,
    auditCrypto,
    keyRetired,
    log,
  });
  // On SQLite this process is the only writer, so it fires deadlines itself; on PostgreSQL with
  // Redis, apps/worker does (this process only enqueues).
  const redisUrl = process.env.REDIS_URL || undefined;
  // Years an administrator uploaded count from the start (before the scheduler plans anything); on PostgreSQL a peer's upload is picked up within a minute.
  await engine.calendarYears.load();
  const calendarRefresh = database.url
    ? setInterval(() => engine.calendarYears.refresh().catch((err) => log.error({ component: 'calendar', ...failure(err) }, 'calendar refresh failed')), CALENDAR_REFRESH_MS)
    : undefined;
  const scheduler = await startScheduler(engine, {
    redisUrl,
    processors: !database.url || !redisUrl,
    queueName: process.env.DEADLINE_QUEUE || undefined,
    webhookSecret: webhooks.secret,
    email: emailSettingsFromEnv(),
  });
  const metrics = config.metricsPort === null ? undefined : new Metrics(engine);
  if (metrics) engine.observe(metrics);
  const queues = [scheduler.queue?.queue, scheduler.webhookQueue?.queue].filter((q) => !!q);
  const app = await createApp(engine, config, { calendar, webRoot: process.env.WEB_ROOT || 'dist/web', logger: log, metrics, redisUrl, queues });
  await app.listen(config.port, config.host);
  const metricsServer = metrics && (await startMetricsServer(metrics, config.metricsPort!, config.metricsHost));
  if (metricsServer) log.info({ url: `http://${config.metricsHost}:${metricsServer.port}/metrics` }, 'metrics served');
  if (queues.length) log.info({ path: '/admin/queues' }, 'queue dashboard for global administrators');
  await engine.recordCalendar(calendar.fingerprint());
  // A migration a stop interrupted goes on from where it was.
  await engine.chainMigrations.resume();
  // A signed checkpoint of the audit head now and then (AUDIT_CHECKPOINT_SECONDS, default hourly).
  const checkpointEvery = Number(process.env.AUDIT_CHECKPOINT_SECONDS || 3600) * 1000;
  if (!(checkpointEvery >= 1000)) throw new Error(`AUDIT_CHECKPOINT_SECONDS must be a number of seconds ≥ 1, not "${process.env.AUDIT_CHECKPOINT_SECONDS}"`);
  const signHead = () => engine.checkpoint().catch((err) => log.error({ component: 'audit-checkpoint', ...failure(err) }, 'audit checkpoint failed'));
  await signHead();
  const checkpoints = setInterval(signHead, checkpointEvery);
  // The Merkle tree extended and a tree head signed at least every AUDIT_TREE_HEAD_SECONDS (default 60).
  const treeHeadEvery = Number(process.env.AUDIT_TREE_HEAD_SECONDS || 60) * 1000;
  if (!(treeHeadEvery >= 1000)) throw new Error(`AUDIT_TREE_HEAD_SECONDS must be a number of seconds ≥ 1, not "${process.env.AUDIT_TREE_HEAD_SECONDS}"`);
  const signTreeHead = () => engine.signTreeHead().catch((err) => log.error({ component: 'audit-tree', ...failure(err) }, 'audit tree head failed'));
  await signTreeHead();
  // Checkpoints from before the Merkle tree become tree heads of their sizes (once; nothing when none are left).
  const adopted = await engine.adoptCheckpoints();
  if (adopted) log.info({ component: 'audit-tree', adopted }, 'checkpoints restated as signed tree heads');
  const treeHeads = setInterval(signTreeHead, treeHeadEvery);
  // Idempotency keys answer retries for a day, then go (hourly sweep).
  const purgeKeys = () => engine.idempotency.purgeExpired().catch((err) => log.error({ component: 'idempotency', ...failure(err) }, 'idempotency purge failed'));
  const keySweep = setInterval(purgeKeys, 3600_000);
  log.info(
    { url: `http://${config.host}:${config.port}`, database: database.url ? 'PostgreSQL' : `SQLite ${database.sqlitePath}`, scheduler: scheduler.kind, openApi: '/api/docs' },
    `shenpi listening on http://${config.host}:${config.port}`,
  );
  log.info({}, `tokens are signed with ${config.jwtSecretOrigin}`);
  if (config.host === '127.0.0.1' || config.host === '::1' || config.host === 'localhost') {
    log.info({ host: config.host }, 'only this machine can reach it: set HOST=0.0.0.0 to listen on every interface (behind a reverse proxy, also TRUST_PROXY)');
  }
  if (config.trustProxy) log.info({ trustProxy: config.trustProxy }, 'X-Forwarded-For is believed from these proxies only');
  const stop = async () => {
    clearInterval(checkpoints);
    clearInterval(treeHeads);
    clearInterval(keySweep);
    clearInterval(calendarRefresh);
    await app.close();
    await metricsServer?.close();
    await scheduler.stop();
    await engine.close();
    log.flush();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  // Before the log is open (a setting refused), the reason goes to stderr as it is.
  if (!logger) console.error(err instanceof Error ? err.message : err);
  else logger.fatal(failure(err), 'not started');
  process.exit(1);
});
