import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { isDatabaseUnavailable } from "../../db/index.js";
import { AppError } from "../../shared/errors.js";
import type { AppEnv } from "../../shared/http/env.js";
import { problemResponse, toAppError } from "../../shared/http/problem.js";

/** Every error leaves as `application/problem+json`; internals only reach the log. */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  const appError = isDatabaseUnavailable(error)
    ? new AppError("DATABASE_UNAVAILABLE", "the database is unreachable; retry shortly", {
        cause: error,
        retryable: true,
      })
    : toAppError(error);
  const log = c.get("log");
  if (appError.kind === "internal" || appError.kind === "unavailable") {
    log?.error({ err: error, code: appError.code }, "request error");
  } else {
    log?.debug({ code: appError.code, detail: appError.message }, "request refused");
  }
  const retryAfter = appError.extensions?.retryAfterSeconds ?? (appError.retryable ? 5 : undefined);
  return problemResponse(c, appError, typeof retryAfter === "number" ? { "retry-after": String(retryAfter) } : {});
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c: Context<AppEnv>) =>
  problemResponse(c, new AppError("ROUTE_NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`));
