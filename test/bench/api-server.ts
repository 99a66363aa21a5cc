import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../apps/api/app.js';
import { calendar, openEngine, type BenchDatabase } from './fixtures.js';

/**
 * The API in a process of its own for the HTTP stages (forked by test/bench/http.bench.ts): the
 * engine as apps/api/main.ts opens it, without the scheduler, on the database the parent
 * prepared; listens on a free port of 127.0.0.1. Talks to the parent over IPC:
 * parent → { type: 'stats' | 'reset' | 'stop' }, child → { type: 'ready', port } | { type: 'stats', … }.
 */
const JWT_SECRET = 'bench-secret-not-for-production';

async function main() {
  const db = JSON.parse(process.env.BENCH_API_DATABASE!) as Omit<BenchDatabase, 'drop'>;
  const engine = await openEngine({ ...db, drop: async () => undefined });
  const app = await createApp(engine, { jwtSecret: JWT_SECRET, jwtTtlSeconds: 3600, bodyLimitBytes: 1024 * 1024 }, { logger: false, swaggerUi: false, calendar });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const send = (m: unknown) => process.send!(m);
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'reset') {
      Object.assign(engine.writer.stats, { commits: 0, jobs: 0, largestBatch: 0 });
      send({ type: 'reset' });
    } else if (m.type === 'stats') {
      const mem = process.memoryUsage();
      send({ type: 'stats', writer: { ...engine.writer.stats }, rss: mem.rss, heapUsed: mem.heapUsed });
    } else if (m.type === 'stop') {
      await app.close();
      await engine.close();
      send({ type: 'stopped' });
      process.disconnect();
      process.exit(0);
    }
  });
  send({ type: 'ready', port });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
