import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Engine } from '@shenpi/engine';
import type { DatabaseConfig } from '@shenpi/persistence';
import { CalendarDeadlinePlanner, startScheduler, WorkingCalendar } from '@shenpi/scheduling';
import { shippedChains } from '@shenpi/workflows';
import { createApp } from '../../apps/api/app.js';

/**
 * The API in a process of its own for the crash test (crash.rel-spec.ts forks it, and SIGKILLs it
 * mid-load): the engine as apps/api/main.ts opens it (shipped chains, working-day planner, the
 * embedded scheduler with its processors) on the database the parent prepared, listening on a
 * free port of 127.0.0.1. Run with `node --import tsx --import test/bench/metadata-loader.mjs`
 * (NestJS needs decorator metadata, which tsx alone does not emit).
 *
 * Environment: CRASH_API_DATABASE (JSON: { database: DatabaseConfig, attachmentsDir }),
 * CRASH_API_JWT_SECRET. IPC: child → { type: 'ready', port, pid }; parent → { type: 'stop' }
 * (a graceful stop, answered { type: 'stopped' }).
 */
async function main() {
  const { database, attachmentsDir } = JSON.parse(process.env.CRASH_API_DATABASE!) as { database: DatabaseConfig; attachmentsDir: string };
  const calendar = WorkingCalendar.load();
  const engine = await Engine.open({ database, shippedChains, planner: new CalendarDeadlinePlanner(calendar), attachments: { dir: attachmentsDir, maxBytes: 1024 * 1024 } });
  const scheduler = await startScheduler(engine, { processors: true });
  const app = await createApp(engine, { jwtSecret: process.env.CRASH_API_JWT_SECRET!, jwtTtlSeconds: 3600, bodyLimitBytes: 1024 * 1024 }, { logger: false, swaggerUi: false, calendar });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  process.on('message', async (m: { type: string }) => {
    if (m.type !== 'stop') return;
    await app.close();
    await scheduler.stop();
    await engine.close();
    process.send!({ type: 'stopped' });
    process.disconnect();
    process.exit(0);
  });
  process.send!({ type: 'ready', port, pid: process.pid });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
