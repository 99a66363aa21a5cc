import { fork } from 'node:child_process';
import { devNull } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon, { type Client } from 'autocannon';
import { performance } from 'node:perf_hooks';
import { forkApi } from '../support/fork-api.js';
import type { BenchDatabase } from './fixtures.js';
import { warmTranspileCache } from './metadata-hooks.mjs';
import { summarize } from './stats.js';

export interface WriterStats {
  commits: number;
  jobs: number;
  largestBatch: number;
}

export interface ServerStats {
  writer: WriterStats;
  /** SQL statements the API process has run, and its CPU (µs), since it started. */
  statements: number;
  cpuMicros: number;
  rss: number;
  heapUsed: number;
}

export interface ApiServer {
  url: string;
  pid: number;
  stats(): Promise<ServerStats>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

/** The API in a process of its own (test/support/api-process.ts) on `db`, without the scheduler; resolves once it listens. */
export async function startApiServer(db: BenchDatabase): Promise<ApiServer> {
  // Compiled in this process, so the API's never loads the TypeScript compiler (nor holds it in memory).
  await warmTranspileCache();
  // BENCH_API_PROFILE=dir writes a CPU profile of the API process there (where its time goes).
  const profile = process.env.BENCH_API_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_PROFILE}`] : [];
  // BENCH_API_OPS=1: operations on, as a deployment with METRICS_PORT and LOG_LEVEL=info runs (the log to the null device).
  const ops = process.env.BENCH_API_OPS ? { metrics: true, logTo: devNull } : {};
  const api = await forkApi({ database: db.config, attachments: { dir: db.attachmentsDir, maxBytes: 1024 * 1024 }, jwtSecret: 'bench-secret-not-for-production', ...ops }, profile);
  return {
    url: api.url,
    pid: api.pid,
    stats: async () => (await api.ask('stats')) as unknown as ServerStats,
    resetStats: async () => void (await api.ask('reset')),
    stop: () => api.stop(),
  };
}

/**
 * What the bench's TypeScript loader (metadata-loader.mjs: the TypeScript compiler in a hooks
 * thread) adds to a process's RSS: the API's module graph loaded with and without it, bytes.
 */
export async function loaderOverhead(): Promise<{ withLoader: number; without: number }> {
  await warmTranspileCache();
  const entry = fileURLToPath(new URL('./module-graph.ts', import.meta.url));
  const metadata = fileURLToPath(new URL('./metadata-loader.mjs', import.meta.url));
  const rssOf = (execArgv: string[]) =>
    new Promise<number>((resolve, reject) => {
      const child = fork(entry, [], { execArgv: [...execArgv, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let rss = 0;
      child.on('message', (m: { type: string; rss: number }) => (rss = m.rss));
      child.once('exit', (code) => (rss ? resolve(rss) : reject(new Error(`module-graph.ts exited (${code}) without reporting`))));
    });
  return { withLoader: await rssOf(['--import', 'tsx', '--import', metadata]), without: await rssOf(['--import', 'tsx']) };
}

/** A bearer token from the real login route. */
export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export interface LoadResult {
  /** Completed 2xx responses per second over the run. */
  rate: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** The first non-2xx body seen, to say why. */
  firstFailure?: string;
  seconds: number;
}

/** Reports a non-2xx response with the start of its body (the body arrives before the response event). */
function watchFailures(client: Client, report: (failure: string) => void): void {
  let body = '';
  client.on('body', (b) => {
    if (body.length < 300) body += b.toString();
  });
  client.on('response', (status) => {
    if (status >= 300) report(`HTTP ${status}: ${body.slice(0, 300)}`);
    body = '';
  });
}


/**
 * `paths.length` connections, each sending the requests `paths[i]` lists for it, in order, one at
 * a time. Each connection first sends `GET /api/me`, which opens it and is not counted: a busy
 * Node server accepts new connections slowly (one per turn of its event loop), so a connection's
 * first request measures the ramp, not the route. Rate: counted 2xx responses over the whole run;
 * latencies: of the counted requests (the client's response times).
 */
export async function loadPerConnection(url: string, token: string, method: 'GET' | 'POST', paths: string[][], body?: string): Promise<LoadResult & { rampMs: number }> {
  const per = paths[0].length;
  if (paths.some((p) => p.length !== per)) throw new Error('every connection needs the same number of requests');
  let next = 0;
  let firstFailure: string | undefined;
  const latencies: number[] = [];
  let counted2xx = 0;
  let rampMs = 0;
  let lastMs = 0;
  const auth = { authorization: `Bearer ${token}` };
  const headers: Record<string, string> = { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) };
  const t0 = performance.now();
  const result = await autocannon({
    url,
    connections: paths.length,
    amount: paths.length * (per + 1),
    timeout: 30,
    headers: auth,
    requests: [{ method: 'GET', path: '/api/me', headers: auth }],
    setupClient: (client: Client) => {
      const mine = paths[next++];
      let sent = 0;
      let received = 0;
      // setRequests builds the first request at once; each later one is built after the previous response.
      client.setRequests([
        {
          setupRequest: (req) => {
            const k = sent++;
            return k === 0
              ? { ...req, method: 'GET', path: '/api/me', headers: auth, body: Buffer.alloc(0) }
              : { ...req, method, path: mine[Math.min(k - 1, mine.length - 1)], headers, body: body ?? Buffer.alloc(0) };
          },
        },
      ]);
      watchFailures(client, (f) => (firstFailure ??= f));
      client.on('response', (status, _bytes, responseTime) => {
        if (received++ === 0) {
          rampMs = Math.max(rampMs, performance.now() - t0);
          return;
        }
        latencies.push(responseTime);
        lastMs = performance.now() - t0;
        if (status >= 200 && status < 300) counted2xx++;
      });
    },
  });
  const f = summarize('', 'ms', latencies);
  // autocannon's own duration ends on its next one-second tick: time the run from its responses.
  return {
    rate: counted2xx / (lastMs / 1000),
    p50: f.p50,
    p99: f.p99,
    requests: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    firstFailure,
    seconds: lastMs / 1000,
    rampMs,
  };
}

/** `connections` connections repeating one GET, `amount` requests in all (each connection opened as loadPerConnection does). */
export function loadSame(url: string, token: string, path: string, connections: number, amount: number): Promise<LoadResult & { rampMs: number }> {
  const per = Math.max(1, Math.floor(amount / connections));
  return loadPerConnection(url, token, 'GET', Array.from({ length: connections }, () => Array<string>(per).fill(path)));
}
