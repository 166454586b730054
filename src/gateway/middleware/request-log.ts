import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { AppEnv } from "../../shared/http/env.js";

/**
 * One JSON log line per request, with a child logger carrying the request
 * id for everything logged while it is served.
 */
export function requestLog(root: Logger): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = performance.now();
    const log = root.child({ requestId: c.get("requestId") });
    c.set("log", log);
    await next();
    const status = c.res.status;
    const fields = {
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) log.error(fields, "request failed");
    else log.info(fields, "request served");
  };
}
