import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Engine } from '@shenpi/engine';
import { CalendarDeadlinePlanner, startScheduler, WorkingCalendar } from '@shenpi/scheduling';
import { shippedChains } from '@shenpi/workflows';
import { createApp } from '../../apps/api/app.js';

/**
 * The real API with the built web UI, in a process of its own for the browser tests (forked by
 * test/ui/support.ts with tsx and the decorator-metadata loader): SQLite at UI_SQLITE_PATH, the demo
 * organisation seeded with UI_PASSWORD (and a second legal counsel, `lawyer`), the embedded scheduler, a free port of 127.0.0.1 (sent to
 * the parent over IPC as { type: 'ready', port }). Without IPC (run by hand) it prints the address.
 */
async function main() {
  const calendar = WorkingCalendar.load('calendar');
  const engine = await Engine.open({
    database: { sqlitePath: process.env.UI_SQLITE_PATH! },
    shippedChains,
    planner: new CalendarDeadlinePlanner(calendar),
    attachments: { dir: process.env.UI_ATTACHMENTS_DIR!, maxBytes: 1024 * 1024 },
  });
  await engine.directory.seedDemo(process.env.UI_PASSWORD!);
  // A second legal counsel (公职律师), so that a task can be delegated (转交) to someone holding the role.
  await engine.directory.addUser({ username: 'lawyer', password: process.env.UI_PASSWORD!, displayName: '公职律师 / Public-service lawyer', departmentId: 'city-sti', roles: ['legal-counsel'] });
  const scheduler = await startScheduler(engine, { processors: true });
  const config = { jwtSecret: 'ui-test-secret', jwtTtlSeconds: 3600, bodyLimitBytes: 1024 * 1024 };
  const app = await createApp(engine, config, { logger: false, swaggerUi: false, calendar, webRoot: process.env.UI_WEB_ROOT || 'dist/web' });
  await app.listen(Number(process.env.UI_PORT || 0), '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const stop = async () => {
    await app.close();
    await scheduler.stop();
    await engine.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (process.send) {
    process.on('message', (m: { type: string }) => void (m.type === 'stop' && stop()));
    process.on('disconnect', () => void stop());
    process.send({ type: 'ready', port });
  } else console.log(`ui server on http://127.0.0.1:${port}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
