import type { LoggerService } from '@nestjs/common';
import type { Logger } from '@shenpi/observability';

/**
 * Nest's own messages (guards' warnings, errors) as JSON lines of the same log; its start-up chatter
 * only at debug. A message may be `{ msg, ...fields }` (the error filter's, the guard's): its fields
 * become fields of the line.
 */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]) {
    this.logger.debug(...line(message, rest));
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.logger.debug(...line(message, rest));
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.logger.trace(...line(message, rest));
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.logger.warn(...line(message, rest));
  }
  error(message: unknown, ...rest: unknown[]) {
    // Nest passes (message, stack?, context?).
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const [fields, text] = line(message, rest);
    this.logger.error({ ...fields, ...(stack ? { stack } : {}) }, text);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.logger.fatal(...line(message, rest));
  }
}

/** The fields and the message of a line: an Error by its message, `{ msg, ...fields }` by its fields. */
function line(message: unknown, rest: unknown[]): [Record<string, unknown>, string] {
  const context = { context: contextOf(rest) };
  if (message instanceof Error) return [context, message.message];
  if (message && typeof message === 'object') {
    const { msg, ...fields } = message as Record<string, unknown>;
    return [{ ...context, ...fields }, String(msg ?? '')];
  }
  return [context, String(message)];
}

/** Nest's last optional parameter is the logger's context (its name). */
const contextOf = (rest: unknown[]) => (typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined);
