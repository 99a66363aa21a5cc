import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';

/**
 * `GET /metrics` on a port of its own (METRICS_PORT, on METRICS_HOST, default 127.0.0.1): the
 * series never share the API's port, its reverse proxy or its tokens; Prometheus reaches them on
 * the internal network, and the worker, which serves no HTTP, exposes its series the same way.
 */
export async function startMetricsServer(metrics: Metrics, port: number, host = '127.0.0.1'): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    metrics.scrape().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (err) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${err instanceof Error ? err.message : err}\n`),
    );
  });
  server.listen(port, host);
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** METRICS_PORT: a port number (0 picks a free one); unset or empty: no metrics endpoint. */
export function metricsPortFromEnv(env: NodeJS.ProcessEnv = process.env): number | null {
  const text = env.METRICS_PORT?.trim();
  if (!text) return null;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new Error(`METRICS_PORT must be a port number, not "${text}"`);
  return port;
}
