import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";
import type { AppEnv } from "../../shared/http/env.js";

const ASSETS = ["swagger-ui.css", "swagger-ui-bundle.js"] as const;

const PAGE = `<!doctype html>
<html lang="it">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Faccia — API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#reference", deepLinking: true });`;

/**
 * A browsable API reference at `/docs`, served from the installed
 * swagger-ui-dist package: nothing is fetched from the Internet, so it works
 * on an offline LAN too.
 */
export function apiReferenceRoutes() {
  const app = new Hono<AppEnv>();
  const dist = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  app.get("/docs", (c) => c.html(PAGE));
  app.get("/docs/init.js", (c) => c.body(INIT, 200, { "content-type": "text/javascript; charset=utf-8" }));
  app.get("/docs/assets/:name", async (c) => {
    const name = c.req.param("name") as (typeof ASSETS)[number];
    if (!ASSETS.includes(name)) return c.notFound();
    const body = await readFile(join(dist, name));
    const type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    return c.body(body, 200, { "content-type": type, "cache-control": "public, max-age=86400" });
  });
  return app;
}
