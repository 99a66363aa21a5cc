import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ApiOptions } from './open-api.js';
import { contractCheckEnabled, watchRemote } from './contract-check.js';

const ENTRY = fileURLToPath(new URL('./api-process.ts', import.meta.url));
const METADATA = fileURLToPath(new URL('../bench/metadata-loader.mjs', import.meta.url));

export interface ForkedApi {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Sends `type` and waits for the child's message of that type. */
  ask(type: 'stats' | 'reset' | 'contract'): Promise<Record<string, unknown>>;
  /** A graceful stop; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** The API in a process of its own (api-process.ts), listening once this resolves. `execArgv` adds to node's (a CPU profile, say). */
export async function forkApi(options: ApiOptions, execArgv: string[] = []): Promise<ForkedApi> {
  const child = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx', '--import', METADATA, ...execArgv],
    env: { ...process.env, TEST_API: JSON.stringify(options), ...(contractCheckEnabled() ? { TEST_CONTRACT: '1' } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      };
      const onExit = (code: number | null, signal: string | null) => reject(new Error(`the API process exited (${code ?? signal}) while waiting for "${type}"`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next('ready');
  // The contract check's violations in the child, fetched after each test; its last ones before it stops.
  let kept: string[] = [];
  const running = () => child.exitCode === null && child.signalCode === null && child.connected;
  const violations = async () => {
    if (!running()) return kept.splice(0);
    const answer = next('contract');
    child.send({ type: 'contract' });
    return [...kept.splice(0), ...((await answer).violations as string[])];
  };
  watchRemote({ take: violations });
  return {
    url: `http://127.0.0.1:${ready.port as number}`,
    pid: ready.pid as number,
    child,
    ask(type) {
      const answer = next(type);
      child.send({ type });
      return answer;
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (contractCheckEnabled() && running()) kept = await violations();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
