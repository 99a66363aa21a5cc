import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ManualClock } from '@shenpi/domain';
import type { Engine } from '@shenpi/engine';
import type { DatabaseConfig } from '@shenpi/persistence';
import type { WorkingCalendar } from '@shenpi/scheduling';
import { watchContract } from './contract-check.js';
import { openApi } from './open-api.js';

export { testCalendar, testPlanner } from './open-api.js';

export const PASSWORD = 'test-password-1';

/**
 * The database the suite runs on: SQLite in a temporary folder, or PostgreSQL (TEST_DATABASE_URL)
 * in a schema of its own, so suites never see each other's rows.
 */
export function testDatabase(): DatabaseConfig & { drop(): Promise<void> } {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    return {
      url,
      schema,
      sqlitePath: '',
      drop: async () => {
        const ds = new DataSource({ type: 'postgres', url });
        await ds.initialize();
        await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
        await ds.destroy();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'shenpi-test-'));
  return { sqlitePath: join(dir, 'shenpi.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestApp {
  app: NestFastifyApplication;
  engine: Engine;
  clock: ManualClock;
  http: () => ReturnType<typeof request>;
  token(username: string): Promise<string>;
  /** How long each slowed login waited (ms), in order. */
  loginWaits: number[];
  /** Stops the server and closes the database, keeping its data (for restart tests). */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** TRUST_PROXY of the app (default: none, as `npm start`). */
  trustProxy?: string;
  /** A working-day calendar of the suite's own (years it uploads stay with it). */
  calendar?: WorkingCalendar;
}

/** A real server on a real database with the demo organisation seeded. */
export async function startApp(database: DatabaseConfig, clock = new ManualClock(new Date('2026-02-02T02:00:00.000Z')), options: StartOptions = {}): Promise<TestApp> {
  const loginWaits: number[] = [];
  // Attachments go to a fresh folder per app, with a small limit the tests can exceed.
  const attachments = { dir: mkdtempSync(join(tmpdir(), 'shenpi-attachments-')), maxBytes: 256 * 1024 };
  // Long-lived tokens: tests move the injected clock by days.
  const { engine, app, close } = await openApi({
    database,
    attachments,
    clock,
    jwtSecret: 'test-secret',
    jwtTtlSeconds: 60 * 86_400,
    seed: { password: PASSWORD },
    trustProxy: options.trustProxy,
    calendar: options.calendar,
    // A slowed login moves the test's clock instead of sleeping; the waits are kept for the tests to read.
    loginWait: async (ms) => {
      loginWaits.push(ms);
      clock.advance(ms);
    },
  });
  const readContract = watchContract(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await readContract();
  const tokens = new Map<string, string>();
  return {
    loginWaits,
    app,
    engine,
    clock,
    http: () => request(app.getHttpServer()),
    async token(username) {
      if (!tokens.has(username)) {
        const res = await request(app.getHttpServer()).post('/api/auth/login').send({ username, password: PASSWORD });
        if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
        tokens.set(username, res.body.accessToken);
      }
      return tokens.get(username)!;
    },
    stop: close,
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * A seeded app started before a suite's tests and dropped with its database after them. The
 * returned object forwards to the running app, so tests read `t.http()` as with startApp().
 */
export function useApp(options: StartOptions = {}): TestApp {
  const database = testDatabase();
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await startApp(database, undefined, options);
  });
  afterAll(async () => {
    await app?.stop();
    await database.drop();
  });
  return new Proxy({} as TestApp, { get: (_, key) => app![key as keyof TestApp] });
}
