import 'reflect-metadata';
import { Engine } from '@shenpi/engine';
import { databaseConfigFromEnv } from '@shenpi/persistence';
import { shippedChains } from '@shenpi/workflows';
import { createApp } from './app.js';
import { apiConfigFromEnv } from './config.js';

async function main() {
  const config = apiConfigFromEnv();
  const database = databaseConfigFromEnv();
  const engine = await Engine.open({ database, shippedChains });
  const app = await createApp(engine, config);
  await app.listen(config.port, config.host);
  console.log(
    `shenpi listening on http://${config.host}:${config.port} (${database.url ? 'PostgreSQL' : `SQLite ${database.sqlitePath}`}); OpenAPI at /api/docs`,
  );
  const stop = async () => {
    await app.close();
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
