import 'reflect-metadata';
import { checkpointSignerFromEnv, keyIdOf, trustedKeysFromEnv } from '@shenpi/audit';
import { Engine, engineSettingsFromEnv } from '@shenpi/engine';
import { createLogger, Metrics, startMetricsServer } from '@shenpi/observability';
import { CalendarDeadlinePlanner, emailSettingsFromEnv, startScheduler, webhookSettingsFromEnv, WorkingCalendar } from '@shenpi/scheduling';
import { shippedChains } from '@shenpi/workflows';
import { createApp } from './app.js';
import { apiConfigFromEnv } from './config.js';

/** How often a process of a PostgreSQL deployment looks for a calendar year another process stored. */
const CALENDAR_REFRESH_MS = 60_000;

async function main() {
  const config = apiConfigFromEnv();
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
  });
  // On SQLite this process is the only writer, so it fires deadlines itself; on PostgreSQL with
  // Redis, apps/worker does (this process only enqueues).
  const redisUrl = process.env.REDIS_URL || undefined;
  // Years an administrator uploaded count from the start (before the scheduler plans anything); on PostgreSQL a peer's upload is picked up within a minute.
  await engine.calendarYears.load();
  const calendarRefresh = database.url ? setInterval(() => engine.calendarYears.refresh().catch((err) => console.error(`calendar refresh failed: ${err instanceof Error ? err.message : err}`)), CALENDAR_REFRESH_MS) : undefined;
  const scheduler = await startScheduler(engine, {
    redisUrl,
    processors: !database.url || !redisUrl,
    queueName: process.env.DEADLINE_QUEUE || undefined,
    webhookSecret: webhooks.secret,
    email: emailSettingsFromEnv(),
  });
  const logger = createLogger({ level: config.logLevel });
  const metrics = config.metricsPort === null ? undefined : new Metrics(engine);
  if (metrics) engine.observe(metrics);
  const queues = [scheduler.queue?.queue, scheduler.webhookQueue?.queue].filter((q) => !!q);
  const app = await createApp(engine, config, { calendar, webRoot: process.env.WEB_ROOT || 'dist/web', logger, metrics, redisUrl, queues });
  await app.listen(config.port, config.host);
  const metricsServer = metrics && (await startMetricsServer(metrics, config.metricsPort!, config.metricsHost));
  if (metricsServer) console.log(`metrics at http://${config.metricsHost}:${metricsServer.port}/metrics`);
  if (queues.length) console.log('queue dashboard at /admin/queues (global administrators)');
  await engine.recordCalendar(calendar.fingerprint());
  // A migration a stop interrupted goes on from where it was.
  await engine.chainMigrations.resume();
  // A signed checkpoint of the audit head now and then (AUDIT_CHECKPOINT_SECONDS, default hourly).
  const checkpointEvery = Number(process.env.AUDIT_CHECKPOINT_SECONDS || 3600) * 1000;
  if (!(checkpointEvery >= 1000)) throw new Error(`AUDIT_CHECKPOINT_SECONDS must be a number of seconds ≥ 1, not "${process.env.AUDIT_CHECKPOINT_SECONDS}"`);
  const signHead = () => engine.checkpoint().catch((err) => console.error(`audit checkpoint failed: ${err instanceof Error ? err.message : err}`));
  await signHead();
  const checkpoints = setInterval(signHead, checkpointEvery);
  // The Merkle tree extended and a tree head signed at least every AUDIT_TREE_HEAD_SECONDS (default 60).
  const treeHeadEvery = Number(process.env.AUDIT_TREE_HEAD_SECONDS || 60) * 1000;
  if (!(treeHeadEvery >= 1000)) throw new Error(`AUDIT_TREE_HEAD_SECONDS must be a number of seconds ≥ 1, not "${process.env.AUDIT_TREE_HEAD_SECONDS}"`);
  const signTreeHead = () => engine.signTreeHead().catch((err) => console.error(`audit tree head failed: ${err instanceof Error ? err.message : err}`));
  await signTreeHead();
  // Checkpoints from before the Merkle tree become tree heads of their sizes (once; nothing when none are left).
  const adopted = await engine.adoptCheckpoints();
  if (adopted) console.log(`audit: ${adopted} checkpoint(s) restated as signed tree heads`);
  const treeHeads = setInterval(signTreeHead, treeHeadEvery);
  // Idempotency keys answer retries for a day, then go (hourly sweep).
  const purgeKeys = () => engine.idempotency.purgeExpired().catch((err) => console.error(`idempotency purge failed: ${err instanceof Error ? err.message : err}`));
  const keySweep = setInterval(purgeKeys, 3600_000);
  console.log(
    `shenpi listening on http://${config.host}:${config.port} (${database.url ? 'PostgreSQL' : `SQLite ${database.sqlitePath}`}, scheduler ${scheduler.kind}); OpenAPI at /api/docs`,
  );
  console.log(`tokens are signed with ${config.jwtSecretOrigin}`);
  if (config.host === '127.0.0.1' || config.host === '::1' || config.host === 'localhost') {
    console.log('only this machine can reach it: set HOST=0.0.0.0 to listen on every interface (behind a reverse proxy, also TRUST_PROXY)');
  }
  if (config.trustProxy) console.log(`X-Forwarded-For is believed from ${config.trustProxy} only`);
  const stop = async () => {
    clearInterval(checkpoints);
    clearInterval(treeHeads);
    clearInterval(keySweep);
    clearInterval(calendarRefresh);
    await app.close();
    await metricsServer?.close();
    await scheduler.stop();
    await engine.close();
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
