import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { systemClock, type Clock } from '@shenpi/domain';
import { Engine, type EngineSettings } from '@shenpi/engine';
import { CalendarDeadlinePlanner, startScheduler, WorkingCalendar } from '@shenpi/scheduling';
import { shippedChains } from '@shenpi/workflows';
import { createApp } from '../../apps/api/app.js';

/** The working-day calendar the tests plan with, loaded once per process. */
export const testCalendar = WorkingCalendar.load();
export const testPlanner = new CalendarDeadlinePlanner(testCalendar);

export interface ApiOptions extends EngineSettings {
  jwtSecret: string;
  /** Token lifetime; the in-process tests move their clock by days. */
  jwtTtlSeconds?: number;
  clock?: Clock;
  /** The demo organisation with this password, and any users added to it. */
  seed?: { password: string; users?: { username: string; departmentId: string; roles: string[]; displayName?: string }[] };
  /** The embedded scheduler with its processors, as `npm start` runs it on SQLite. */
  scheduler?: boolean;
  /** The built web UI to serve at `/`. */
  webRoot?: string;
}

export interface OpenApi {
  engine: Engine;
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/**
 * The API as apps/api/main.ts opens it (shipped chains, the working-day planner), for every kind of
 * test: in-process (test-app.ts) or in a process of its own (api-process.ts, for the browser, crash
 * and HTTP bench runs). Not yet listening.
 */
export async function openApi(o: ApiOptions): Promise<OpenApi> {
  const engine = await Engine.open({ database: o.database, attachments: o.attachments, clock: o.clock ?? systemClock, shippedChains, planner: testPlanner });
  if (o.seed) {
    await engine.directory.seedDemo(o.seed.password);
    for (const u of o.seed.users ?? []) await engine.directory.addUser({ ...u, password: o.seed.password });
  }
  const scheduler = o.scheduler ? await startScheduler(engine, { processors: true }) : undefined;
  const app = await createApp(engine, { jwtSecret: o.jwtSecret, jwtTtlSeconds: o.jwtTtlSeconds ?? 3600, bodyLimitBytes: 1024 * 1024 }, {
    logger: false,
    swaggerUi: false,
    calendar: testCalendar,
    ...(o.webRoot ? { webRoot: o.webRoot } : {}),
  });
  return {
    engine,
    app,
    async close() {
      await app.close();
      await scheduler?.stop();
      await engine.close();
    },
  };
}
