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
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.TRANSITION_NOT_ALLOWED]: 409,
  [ErrorCode.VERSION_CONFLICT]: 409,
  [ErrorCode.TASK_NOT_OPEN]: 409,
  [ErrorCode.DUPLICATE_DOCUMENT]: 409,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.CONTENT_CHECK_FAILED]: 422,
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
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: ErrorCode.RATE_LIMITED,
};

/** For errors raised outside our code (router, body parser): the status they carry, our body shape. */
export function bodyForStatus(statusCode: number, message: string, details: unknown = null): ErrorBody {
  const code = CODE_OF_STATUS[statusCode] ?? (statusCode >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
  return { statusCode, code, message, details };
}
