import 'reflect-metadata';
import { Engine } from '@shenpi/engine';
import { databaseConfigFromEnv } from '@shenpi/persistence';
import { schedulerKindFromEnv } from '@shenpi/scheduling';

/**
 * The deadline worker. On SQLite the job processors run inside the API process (one writer),
 * so this refuses to start; the BullMQ processors arrive with the deadlines issue.
 */
async function main() {
  const database = databaseConfigFromEnv();
  if (!database.url) {
    console.error('apps/worker runs only on PostgreSQL (set DATABASE_URL): on SQLite the API process is the only writer.');
    process.exit(1);
  }
  if (schedulerKindFromEnv() !== 'bullmq') {
    console.error('apps/worker needs REDIS_URL: without Redis the API process polls deadlines itself.');
    process.exit(1);
  }
  const engine = await Engine.open({ database });
  console.log('shenpi worker connected; no deadline processors are registered yet');
  const stop = async () => {
    await engine.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  setInterval(() => undefined, 60_000);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
