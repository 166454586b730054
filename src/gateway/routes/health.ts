import { Hono } from "hono";
import type { AppEnv } from "../../shared/http/env.js";

export interface Readiness {
  /** Resolves with what is wrong, or an empty list when the gateway can serve. */
  problems(): Promise<string[]>;
}

/** `/healthz`: the process is up. `/readyz`: the database answers and no migration is pending. */
export function healthRoutes(readiness: Readiness) {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const problems = await readiness.problems();
    if (problems.length === 0) return c.json({ status: "ready" });
    return c.json({ status: "unavailable", problems }, 503, { "retry-after": "5" });
  });
  return app;
}
