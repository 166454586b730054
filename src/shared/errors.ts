/**
 * One error type for the whole gateway. Business outcomes are values; an
 * `AppError` is for requests that cannot be served. Each code belongs to a
 * closed table below, which fixes its kind (and so its HTTP status) and a
 * stable human title. Codes are part of the public API: never rename one.
 */

export type ErrorKind =
  | "validation"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable"
  | "internal";

export const errorCatalogue = {
  REQUEST_INVALID_JSON: { kind: "validation", title: "Request body is not valid JSON" },
  REQUEST_VALIDATION_FAILED: { kind: "validation", title: "Request does not match the schema" },
  REQUEST_BODY_TOO_LARGE: { kind: "payload_too_large", title: "Request body too large" },
  REQUEST_UNSUPPORTED_MEDIA_TYPE: { kind: "unsupported_media_type", title: "Unsupported media type" },
  ROUTE_NOT_FOUND: { kind: "not_found", title: "No such route" },
  AUTH_MISSING_TOKEN: { kind: "unauthenticated", title: "Authentication required" },
  AUTH_INVALID_TOKEN: { kind: "unauthenticated", title: "Token not valid" },
  AUTH_FORBIDDEN: { kind: "forbidden", title: "Not allowed" },
  AUTH_SESSION_EXPIRED: { kind: "unauthenticated", title: "Session ended or expired" },
  AUTH_CSRF_FAILED: { kind: "forbidden", title: "Missing or wrong CSRF token" },
  AUTH_LEVEL_TOO_LOW: { kind: "forbidden", title: "A stronger SPID/CIE level is required" },
  RATE_LIMITED: { kind: "rate_limited", title: "Too many requests" },
  KIOSK_PAIRING_CODE_INVALID: { kind: "validation", title: "Pairing code not valid" },
  RESOURCE_NOT_FOUND: { kind: "not_found", title: "Resource not found" },
  RESOURCE_CONFLICT: { kind: "conflict", title: "Resource conflicts with an existing one" },
  RESOURCE_IN_USE: { kind: "conflict", title: "Resource is still referenced" },
  SERVED_COUNTS_INVALID: { kind: "validation", title: "Users-served import not valid" },
  DATABASE_UNAVAILABLE: { kind: "unavailable", title: "Database unavailable" },
  KIOSK_APP_NOT_BUILT: { kind: "unavailable", title: "Kiosk web app not built" },
  REPORT_PERIOD_INVALID: { kind: "validation", title: "Report period not valid" },
  REPORT_STATE_CONFLICT: { kind: "conflict", title: "Report is not in a state that allows this" },
  CERTIFICATE_MALFORMED: { kind: "validation", title: "Certificate cannot be read" },
  CERTIFICATE_UNUSABLE: { kind: "validation", title: "Certificate not usable for this role" },
  P12_INVALID_PASSWORD: { kind: "validation", title: "PKCS#12 password is wrong" },
  P12_MALFORMED: { kind: "validation", title: "PKCS#12 file cannot be read" },
  P12_NO_KEY: { kind: "validation", title: "PKCS#12 file holds no usable key and certificate" },
  P12_UNSUPPORTED: { kind: "validation", title: "PKCS#12 protection algorithm not supported" },
  SIGNATURE_DIGEST_INVALID: { kind: "validation", title: "Digest does not fit the digest algorithm" },
  SIGNATURE_KEY_UNSUPPORTED: { kind: "validation", title: "Signing key type or size not supported" },
  SIGNATURE_REMOTE_MALFORMED_RESPONSE: { kind: "unavailable", title: "Remote signing service answer not readable" },
  SIGNATURE_REMOTE_REJECTED: { kind: "unavailable", title: "Remote signing service refused the request" },
  SIGNATURE_REMOTE_TIMEOUT: { kind: "unavailable", title: "Remote signing service did not answer in time" },
  SIGNATURE_REMOTE_UNAUTHORIZED: { kind: "unavailable", title: "Remote signing service refused the credentials" },
  SIGNATURE_REMOTE_UNAVAILABLE: { kind: "unavailable", title: "Remote signing service unavailable" },
  TIMESTAMP_MALFORMED_RESPONSE: { kind: "unavailable", title: "Timestamp authority answer not readable" },
  TIMESTAMP_MISMATCH: { kind: "unavailable", title: "Timestamp token does not match the request" },
  TIMESTAMP_REJECTED: { kind: "unavailable", title: "Timestamp authority refused the request" },
  TIMESTAMP_UNAVAILABLE: { kind: "unavailable", title: "Timestamp authority unavailable" },
  SIGNER_NOT_CONFIGURED: { kind: "unavailable", title: "No signer configured on this gateway" },
  SIGNATURE_UPLOAD_REJECTED: { kind: "validation", title: "Uploaded signature not accepted" },
  PDF_NOT_SIGNABLE: { kind: "internal", title: "The PDF cannot be signed as PAdES" },
  PEC_NOT_CONFIGURED: { kind: "conflict", title: "No PEC box configured for this entity" },
  PEC_NO_RECIPIENTS: { kind: "conflict", title: "No oversight recipients to send to" },
  PEC_MESSAGE_TOO_LARGE: { kind: "conflict", title: "Message exceeds the PEC provider's size limit" },
  INTERNAL_ERROR: { kind: "internal", title: "Internal error" },
} as const satisfies Record<string, { kind: ErrorKind; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** HTTP status per error kind: the single place where kinds meet HTTP. */
export const statusOfKind: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  errors?: FieldError[];
  /** Extra members for the problem document (e.g. `retryAfterSeconds`). */
  extensions?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.kind = errorCatalogue[code].kind;
    this.retryable = options.retryable ?? false;
    this.errors = options.errors;
    this.extensions = options.extensions;
  }

  get status(): number {
    return statusOfKind[this.kind];
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Turns zod-style issues into RFC 9457 `errors` members. */
export function fieldErrorsFromIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): FieldError[] {
  return issues.map((issue) => ({
    path: issue.path.length === 0 ? "/" : `/${issue.path.map(String).join("/")}`,
    message: issue.message,
  }));
}
