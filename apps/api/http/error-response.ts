import { ErrorCode } from '@shenpi/domain';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: unknown;
}

export const STATUS_OF: Record<string, number> = {
  [ErrorCode.VALIDATION_FAILED]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.SEPARATION_OF_DUTIES]: 403,
  [ErrorCode.PASSWORD_CHANGE_REQUIRED]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.TRANSITION_NOT_ALLOWED]: 409,
  [ErrorCode.VERSION_CONFLICT]: 409,
  [ErrorCode.TASK_NOT_OPEN]: 409,
  [ErrorCode.DUPLICATE_DOCUMENT]: 409,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.ALREADY_DECIDED]: 409,
  [ErrorCode.STATE_DIVERGED]: 409,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ErrorCode.CONTENT_CHECK_FAILED]: 422,
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: 422,
  [ErrorCode.MIGRATION_SKIPS_REVIEW]: 422,
  [ErrorCode.LINT_BUDGET_EXCEEDED]: 422,
  [ErrorCode.RATE_LIMITED]: 429,
};

const CODE_OF_STATUS: Record<number, string> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  414: 'URI_TOO_LONG',
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  429: ErrorCode.RATE_LIMITED,
};

/** The codes an error body of this status may carry (the OpenAPI document lists them). */
export function codesOfStatus(statusCode: number): string[] {
  const codes = Object.entries(STATUS_OF).filter(([, status]) => status === statusCode).map(([code]) => code);
  const fallback = CODE_OF_STATUS[statusCode] ?? (statusCode >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
  return codes.includes(fallback) ? codes : [...codes, fallback];
}

/** For errors raised outside our code (router, body parser): the status they carry, our body shape. */
export function bodyForStatus(statusCode: number, message: string, details: unknown = null): ErrorBody {
  const code = CODE_OF_STATUS[statusCode] ?? (statusCode >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
  return { statusCode, code, message, details };
}

/**
 * Errors Fastify raises before any route runs, answered in the API's shape. The router's refusals
 * of a malformed path (a bad %-escape, an over-long id) are a malformed id: 401 for an anonymous
 * caller (authentication comes first), else 404 as API.md gives a malformed id.
 */
export function frameworkErrorBody(error: { code?: string; statusCode?: number; message: string }, authorized: boolean): ErrorBody {
  if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return authorized ? bodyForStatus(404, 'not found') : bodyForStatus(401, 'authentication required');
  }
  return bodyForStatus(error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400, 'the request could not be read');
}

/**
 * The security headers for answers written outside Nest (the HTTP parser's errors, Fastify's own
 * refusals of a URL): a JSON error body needs no more than these.
 */
export const BARE_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/** Errors of the HTTP parser itself (a header over 16 KB, a malformed request line): a raw response in the API's shape. */
export function clientErrorResponse(error: { code?: string }): string {
  const body = error.code === 'HPE_HEADER_OVERFLOW' ? bodyForStatus(431, 'the request line or headers are too large') : bodyForStatus(400, 'the request could not be parsed');
  const text = JSON.stringify(body);
  const reason = body.statusCode === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  const headers = Object.entries(BARE_SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${body.statusCode} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n${headers}connection: close\r\n\r\n${text}`;
}
