import type { LoggerService } from '@nestjs/common';
import type { Logger } from '@shenpi/observability';

/** Nest's own messages (guards' warnings, errors) as JSON lines of the same log; its start-up chatter only at debug. */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]) {
    this.logger.debug({ context: contextOf(rest) }, String(message));
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.logger.debug({ context: contextOf(rest) }, String(message));
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.logger.trace({ context: contextOf(rest) }, String(message));
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.logger.warn({ context: contextOf(rest) }, String(message));
  }
  error(message: unknown, ...rest: unknown[]) {
    // Nest passes (message, stack?, context?).
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    this.logger.error({ context: contextOf(rest), ...(stack ? { stack } : {}) }, message instanceof Error ? message.message : String(message));
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.logger.fatal({ context: contextOf(rest) }, String(message));
  }
}

/** Nest's last optional parameter is the logger's context (its name). */
const contextOf = (rest: unknown[]) => (typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined);
