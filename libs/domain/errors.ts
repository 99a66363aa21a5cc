/** Stable, machine-readable error codes; the API maps each to one HTTP status. */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  TRANSITION_NOT_ALLOWED: 'TRANSITION_NOT_ALLOWED',
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  TASK_NOT_OPEN: 'TASK_NOT_OPEN',
  DUPLICATE_DOCUMENT: 'DUPLICATE_DOCUMENT',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A body of a media type the route does not take (details name `content-type` and why). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  CONTENT_CHECK_FAILED: 'CONTENT_CHECK_FAILED',
  RATE_LIMITED: 'RATE_LIMITED',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** 不相容职务分离: the caller would hold the task, but a rule forbids this person deciding (details.rule). */
  SEPARATION_OF_DUTIES: 'SEPARATION_OF_DUTIES',
  /** Withdraw after a decision in the current review round. */
  ALREADY_DECIDED: 'ALREADY_DECIDED',
  /** A chain migration would move a document past a review step (details name the mapping entry). */
  MIGRATION_SKIPS_REVIEW: 'MIGRATION_SKIPS_REVIEW',
  /** The document's row disagrees with its last audit entry (state or version): nothing is done, a security entry is written. */
  STATE_DIVERGED: 'STATE_DIVERGED',
  /** Linting a chain definition ran past its time or memory budget (details.budget names which). */
  LINT_BUDGET_EXCEEDED: 'LINT_BUDGET_EXCEEDED',
  /** The password was right, but someone else set it: the user chooses their own first (POST /api/auth/password). */
  PASSWORD_CHANGE_REQUIRED: 'PASSWORD_CHANGE_REQUIRED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FieldError {
  field: string;
  reason: string;
  /** The reason in both languages, where its source says it so (a chain definition's lint findings); `en` is `reason`. */
  message?: { zh: string; en: string };
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationFailed = (errors: FieldError[]) =>
  new DomainError(ErrorCode.VALIDATION_FAILED, errors.map((e) => `${e.field}: ${e.reason}`).join('; '), errors);

/** A body of a media type the route does not take: 415, naming `content-type` as a refused field. */
export const unsupportedMediaType = (reason: string) =>
  new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `content-type: ${reason}`, [{ field: 'content-type', reason }] satisfies FieldError[]);

export const notFound = (what: string) => new DomainError(ErrorCode.NOT_FOUND, `${what} not found`);

/**
 * A refusal by an access check. It carries what the security audit entry needs, so the HTTP layer
 * can record it after the refused transaction has rolled back.
 */
export class AccessDenied extends DomainError {
  constructor(
    code: typeof ErrorCode.FORBIDDEN | typeof ErrorCode.NOT_FOUND | typeof ErrorCode.SEPARATION_OF_DUTIES,
    message: string,
    readonly attempt: { action: string; documentId?: string; departmentId?: string | null; taskId?: string; rule?: string },
    details?: unknown,
  ) {
    super(code, message, details);
  }
}
