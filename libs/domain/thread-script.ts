import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * What `new Worker(…)` takes to run `<name>.ts` beside the module at `moduleUrl` in a thread of
 * its own: the compiled `<name>.js` in a build. Under the tests and `npm run bench` the module is
 * TypeScript, which a thread loads through tsx's require hook (tsx's ESM hooks do not reach worker
 * threads on Node 20).
 */
export function threadScript(moduleUrl: string, name: string): [string | URL, WorkerOptions] {
  if (!moduleUrl.endsWith('.ts')) return [new URL(`./${name}.js`, moduleUrl), {}];
  const tsx = createRequire(moduleUrl).resolve('tsx/cjs/api');
  const script = fileURLToPath(new URL(`./${name}.ts`, moduleUrl));
  const boot = `const { workerData } = require('node:worker_threads'); require(workerData.tsx).register(); require(workerData.script);`;
  return [boot, { eval: true, workerData: { tsx, script } }];
}
