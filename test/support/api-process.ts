import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { sqlStatements } from '@shenpi/persistence';
import { openApi, type ApiOptions } from './open-api.js';
import { ContractCheck, servedDocument } from './contract-check.js';

/**
 * The API in a process of its own (forked by fork-api.ts with tsx and the decorator-metadata
 * loader), on 127.0.0.1 and a free port: for the browser tests, the crash test and the HTTP bench.
 * Options: TEST_API (JSON ApiOptions). IPC: child → { type: 'ready', port, pid }; parent →
 * 'contract' (the contract check's violations since the last ask, when TEST_CONTRACT is set) | 'stats' (the writer's batching, the audit batches this process sequenced, SQL statements run and CPU used so far (µs), and memory: rss, its peak maxRss,
 * heapUsed) | 'reset' (of the writer's batching) | 'stop' (answered 'stopped').
 */
async function main() {
  const { engine, app, close } = await openApi(JSON.parse(process.env.TEST_API!) as ApiOptions);
  // The e2e project's contract check, run here on this process's answers (TEST_CONTRACT, set by fork-api.ts).
  const contract = process.env.TEST_CONTRACT ? new ContractCheck().watch(app) : undefined;
  await app.listen(0, '127.0.0.1');
  if (contract) contract.use(await servedDocument(app));
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const send = (m: unknown) => process.send!(m);
  const stop = async () => {
    await close();
    send({ type: 'stopped' });
    process.disconnect();
    process.exit(0);
  };
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stop') void stop();
    else if (m.type === 'contract') send({ type: 'contract', violations: contract?.take() ?? [] });
    else if (m.type === 'reset') {
      Object.assign(engine.writer.stats, { commits: 0, jobs: 0, largestBatch: 0 });
      send({ type: 'reset' });
    } else if (m.type === 'stats') {
      const mem = process.memoryUsage();
      // maxRss: the peak resident set so far (bytes), which a burst freed before this message still shows.
      const { batches, entries } = engine.auditSequencer.stats;
      const cpu = process.cpuUsage();
      send({
        type: 'stats',
        writer: { ...engine.writer.stats },
        sequencer: { batches, entries },
        statements: sqlStatements.count,
        cpuMicros: cpu.user + cpu.system,
        rss: mem.rss,
        maxRss: process.resourceUsage().maxRSS * 1024,
        heapUsed: mem.heapUsed,
      });
    }
  });
  process.on('disconnect', () => void close().then(() => process.exit(0)));
  send({ type: 'ready', port, pid: process.pid });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
