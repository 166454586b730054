import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/**
 * The caller's address for per-client limits. Behind a reverse proxy
 * (`FACCIA_TRUST_PROXY=1`) it is the first `X-Forwarded-For` hop.
 */
export function clientAddressResolver(trustProxy: boolean) {
  return function clientAddress(c: Context): string {
    if (trustProxy) {
      const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
      if (forwarded) return forwarded;
    }
    try {
      return getConnInfo(c).remote.address ?? "unknown";
    } catch {
      return "unknown";
    }
  };
}
