/**
 * The process's JSON log as the engine and the scheduler write to it: the pino logger that
 * apps/api and apps/worker open (libs/observability's createLogger) fits it, so the engine needs no
 * logging library and every line of a process goes to one log. Each line is named fields and a
 * fixed message: `component` (the loop or use case), the ids it concerns, and `error` from `failure`
 * (not pino's `err`, whose serializer would read it as an Error).
 * Never a request, a body, a token, a password or a document's text.
 */
export interface Log {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** An engine opened without a log (tests, tools) writes none. */
export const quietLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * How a failure is logged (`error`): its class, message and code (a SQLSTATE, `ECONNREFUSED`). Never the
 * error object itself: a driver's error carries the statement's parameters or the row's values
 * among its own fields (a document's text, a password hash), which pino would write out whole.
 */
export function failure(err: unknown): { error: { type: string; message: string; code?: string } } {
  if (!(err instanceof Error)) return { error: { type: typeof err, message: String(err) } };
  // sql.ts wraps a driver's error (QueryFailedError): its SQLSTATE or SQLite code is the driver's.
  const code = (err as { code?: unknown }).code ?? (err as { driverError?: { code?: unknown } }).driverError?.code;
  return { error: { type: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) } };
}
