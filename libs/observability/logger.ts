import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** LOG_LEVEL, default `info`; anything else is refused at start rather than logging nothing. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const level = env.LOG_LEVEL || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${level}"`);
  return level;
}

/**
 * The process's JSON log: one object per line on stdout, written asynchronously (the request path
 * never waits on the terminal or a pipe). Callers log named fields only, never a request, a body,
 * a header or a document: nothing here could leak a password, a token or a document's content.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream; name?: string } = {}): Logger {
  return pino(
    { level: options.level ?? logLevelFromEnv(), base: { pid: process.pid, ...(options.name ? { name: options.name } : {}) } },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
