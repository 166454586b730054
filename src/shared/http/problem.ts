import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, errorCatalogue, type FieldError, isAppError } from "../errors.js";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** RFC 9457 problem details, plus our stable `code` and the request id. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Maps anything thrown to an `AppError`; unknown errors become a generic 500 (details go to the log only). */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof HTTPException) {
    if (error.status === 400 && /json/i.test(error.message)) {
      return new AppError("REQUEST_INVALID_JSON", "the request body is not valid JSON", { cause: error });
    }
    if (error.status === 413) return new AppError("REQUEST_BODY_TOO_LARGE", "request body too large", { cause: error });
    if (error.status === 404) return new AppError("ROUTE_NOT_FOUND", "no such route", { cause: error });
    if (error.status < 500) return new AppError("REQUEST_VALIDATION_FAILED", error.message, { cause: error });
  }
  return new AppError("INTERNAL_ERROR", "an unexpected error occurred; quote the request id to support", {
    cause: error,
  });
}

export function problemDocument(error: AppError, c: Context): ProblemDocument {
  return {
    type: `https://faccia.dev/problems/${error.code.toLowerCase().replaceAll("_", "-")}`,
    title: errorCatalogue[error.code].title,
    status: error.status,
    detail: error.message,
    instance: new URL(c.req.url).pathname,
    code: error.code,
    requestId: (c.get("requestId") as string | undefined) ?? "",
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.extensions ?? {}),
  };
}

/** Built with `c.body` so headers set earlier in the request (e.g. `X-Request-Id`) are kept. */
export function problemResponse(c: Context, error: AppError, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(problemDocument(error, c)), error.status as ContentfulStatusCode, {
    "content-type": PROBLEM_CONTENT_TYPE,
    ...headers,
  });
}
