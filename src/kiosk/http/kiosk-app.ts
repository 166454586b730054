import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Context } from "hono";
import { Hono } from "hono";
import { AppError } from "../../shared/errors.js";
import type { AppEnv } from "../../shared/http/env.js";

/**
 * Serves the kiosk web app built by `scripts/build-kiosk.mjs` (issue 3) at
 * `/kiosk`. Files are read once into memory (about 40 KB). Hashed assets are
 * cached for a year; the page, the service worker and the manifest are
 * revalidated every time, so a new version reaches kiosks as soon as they
 * are online.
 */

export interface KioskAppOptions {
  /** Directory with `asset-manifest.json` and the files it lists (default `dist/kiosk`). */
  assetsDir: string;
  /** Demo mode only: the demo kiosk's token, handed to browsers on this machine so `/kiosk` opens paired. */
  demoToken?: () => Promise<string | null>;
  clientAddress: (c: Context) => string;
}

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
  immutable: boolean;
}

interface AssetManifest {
  version: string;
  files: Record<string, { type: string; immutable: boolean; sha256: string }>;
}

/**
 * What the page may load: only this origin, no inline script or style, no
 * frames. The kiosk runs unattended in a public place, so it gets the
 * strictest policy the app can live with.
 */
export const KIOSK_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

async function loadAssets(dir: string): Promise<Map<string, Asset>> {
  const manifest = JSON.parse(await readFile(join(dir, "asset-manifest.json"), "utf8")) as AssetManifest;
  const assets = new Map<string, Asset>();
  for (const [name, file] of Object.entries(manifest.files)) {
    const body = new Uint8Array(await readFile(join(dir, name)));
    assets.set(name, { body, type: file.type, etag: `"${file.sha256.slice(0, 32)}"`, immutable: file.immutable });
  }
  return assets;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function kioskAppRoutes(options: KioskAppOptions) {
  let loading: Promise<Map<string, Asset>> | undefined;
  const assets = () => {
    loading ??= loadAssets(options.assetsDir).catch((error: unknown) => {
      loading = undefined; // a later `npm run build` fixes it without a restart
      throw new AppError("KIOSK_APP_NOT_BUILT", "the kiosk web app is not built: run 'npm run build'", {
        cause: error,
      });
    });
    return loading;
  };

  async function serve(c: Context<AppEnv>, name: string) {
    const asset = (await assets()).get(name);
    if (!asset) throw new AppError("ROUTE_NOT_FOUND", "no such kiosk file");
    const headers: Record<string, string> = {
      "content-type": asset.type,
      etag: asset.etag,
      "cache-control": asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    };
    if (name === "index.html") headers["content-security-policy"] = KIOSK_CONTENT_SECURITY_POLICY;
    // The worker lives at /kiosk/sw.js but controls /kiosk too (the address without the slash).
    if (name === "sw.js") headers["service-worker-allowed"] = "/kiosk";
    if (c.req.header("if-none-match") === asset.etag) return c.body(null, 304, headers);
    return c.body(asset.body, 200, headers);
  }

  // Full paths (mounted at the root): `/kiosk` and `/kiosk/` are both the page.
  const app = new Hono<AppEnv>();
  for (const path of ["/kiosk", "/kiosk/", "/kiosk/index.html"]) app.get(path, (c) => serve(c, "index.html"));
  app.get("/kiosk/assets/:name", (c) => serve(c, `assets/${c.req.param("name")}`));
  app.get("/kiosk/demo-token", async (c) => {
    const token = options.demoToken && LOOPBACK.test(options.clientAddress(c)) ? await options.demoToken() : null;
    if (!token) throw new AppError("ROUTE_NOT_FOUND", "no demo kiosk is offered here");
    return c.json({ token }, 200, { "cache-control": "no-store" });
  });
  app.get("/kiosk/:name", (c) => serve(c, c.req.param("name")));
  return app;
}
