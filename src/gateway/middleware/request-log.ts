import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { AppEnv } from "../../shared/http/env.js";

/**
 * A child logger made on first use. Most requests log nothing but their
 * request line, and a pino child with redaction costs microseconds to build
 * on every request.
 */
function lazyChild(root: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = (): Logger => {
    child ??= root.child(bindings);
    return child;
  };
  return new Proxy(root, {
    get(_target, property) {
      const logger = real();
      const value: unknown = Reflect.get(logger, property, logger);
      return typeof value === "function" ? value.bind(logger) : value;
    },
    set(_target, property, value) {
      return Reflect.set(real(), property, value);
    },
    has(_target, property) {
      return property in real();
    },
  });
}

/**
 * One JSON log line per request, with a child logger carrying the request
 * id for everything logged while it is served.
 */
export function requestLog(root: Logger): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = performance.now();
    const requestId = c.get("requestId");
    c.set("log", lazyChild(root, { requestId }));
    await next();
    const status = c.res.status;
    // Same line as the child would write: its bindings come first, then these fields.
    const fields = {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) root.error(fields, "request failed");
    else root.info(fields, "request served");
  };
}
