import type { MiddlewareHandler } from "hono";
import { bodyLimit as streamingBodyLimit } from "hono/body-limit";
import { AppError } from "../errors.js";

/**
 * Refuses bodies over `maxBytes` with `REQUEST_BODY_TOO_LARGE` (413).
 *
 * With a Content-Length header the check is on the header alone: Node's
 * HTTP parser never delivers more bytes than it announces. Hono's own
 * middleware touches `request.body` first, which makes @hono/node-server
 * build a full web `Request` and stream for every request (about a third of
 * a small vote request's CPU); it is kept for chunked bodies only.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  const refuse = (): never => {
    throw new AppError("REQUEST_BODY_TOO_LARGE", `the body exceeds ${Math.round(maxBytes / 1024)} KB`);
  };
  const streaming = streamingBodyLimit({ maxSize: maxBytes, onError: refuse });
  return async function bodyLimit(c, next) {
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined) return streaming(c, next);
    if (Number(length) > maxBytes) refuse();
    await next();
  };
}
