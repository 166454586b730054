import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIZE_BUDGET_BYTES } from "../../scripts/build-kiosk.mjs";
import { KIOSK_CONTENT_SECURITY_POLICY } from "../../src/kiosk/index.js";
import { createApplication } from "../../src/main.js";
import { systemClock } from "../../src/shared/clock.js";
import { testConfig } from "../support/app.js";
import { openTestDatabase, type TestDatabase } from "../support/databases.js";
import { KIOSK_TEST_ASSETS } from "../support/kiosk-assets.js";

/** The gateway serving the built kiosk app at /kiosk (issue 3). */
describe("kiosk web app files", () => {
  let database: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    dataDir = mkdtempSync(join(tmpdir(), "faccia-kiosk-app-"));
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const appWith = (env: Record<string, string> = {}, assetsDir = KIOSK_TEST_ASSETS) =>
    createApplication(testConfig({ FACCIA_DATA_DIR: dataDir, ...env }), {
      database,
      clock: systemClock,
      migrate: false,
      kioskAssetsDir: assetsDir,
    }).then((application) => application.app);

  describe("happy", () => {
    it("serves the page at /kiosk and /kiosk/ with a strict content security policy, revalidated every time", async () => {
      const app = await appWith();
      for (const path of ["/kiosk", "/kiosk/"]) {
        const response = await app.request(path);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect(response.headers.get("cache-control")).toBe("no-cache");
        expect(response.headers.get("content-security-policy")).toBe(KIOSK_CONTENT_SECURITY_POLICY);
        expect(await response.text()).toContain('<div id="kiosk"');
      }
      expect(KIOSK_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
      expect(KIOSK_CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
    });

    it("caches the content-hashed script and stylesheet for a year, and answers 304 to a matching ETag", async () => {
      const app = await appWith();
      const page = await (await app.request("/kiosk/")).text();
      const assets = [...page.matchAll(/\/kiosk\/assets\/app\.[0-9a-f]{12}\.(?:js|css)/g)].map((m) => m[0]);
      expect(assets).toHaveLength(2);
      for (const asset of assets) {
        const response = await app.request(asset);
        expect(response.status).toBe(200);
        expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
        const etag = response.headers.get("etag") as string;
        const again = await app.request(asset, { headers: { "if-none-match": etag } });
        expect(again.status).toBe(304);
        expect(await again.text()).toBe("");
      }
    });

    it("serves the service worker for the whole /kiosk scope, precaching exactly the files the page uses", async () => {
      const app = await appWith();
      const response = await app.request("/kiosk/sw.js");
      expect(response.headers.get("service-worker-allowed")).toBe("/kiosk");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      const worker = await response.text();
      const page = await (await app.request("/kiosk/")).text();
      for (const asset of page.match(/\/kiosk\/assets\/[^"]+/g) ?? []) expect(worker).toContain(asset);
      for (const file of ["manifest.webmanifest", "icon.svg"]) {
        expect((await app.request(`/kiosk/${file}`)).status).toBe(200);
      }
    });

    it("keeps JS and CSS within 35 KB gzipped (issue 3 §6)", () => {
      const manifest = JSON.parse(readFileSync(join(KIOSK_TEST_ASSETS, "asset-manifest.json"), "utf8")) as {
        files: Record<string, unknown>;
        size: { gzip: number };
      };
      const scriptsAndStyles = Object.keys(manifest.files).filter(
        (name) => /\.(js|css)$/.test(name) && name !== "sw.js",
      );
      const gzipped = scriptsAndStyles.reduce(
        (sum, name) => sum + gzipSync(readFileSync(join(KIOSK_TEST_ASSETS, name))).length,
        0,
      );
      expect(scriptsAndStyles).toHaveLength(2);
      expect(gzipped).toBe(manifest.size.gzip);
      expect(gzipped).toBeLessThanOrEqual(SIZE_BUDGET_BYTES);
    });
  });

  describe("errors", () => {
    it("answers problem+json 404 for a file the app does not have", async () => {
      const app = await appWith();
      for (const path of ["/kiosk/assets/app.000000000000.js", "/kiosk/secret.txt", "/kiosk/asset-manifest.json"]) {
        const response = await app.request(path);
        expect(response.status, path).toBe(404);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
      }
    });

    it("answers 503 KIOSK_APP_NOT_BUILT when the app was never built, and recovers once it is", async () => {
      const missing = join(dataDir, "not-built");
      const app = await appWith({}, missing);
      const response = await app.request("/kiosk");
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: "KIOSK_APP_NOT_BUILT" });
      cpSync(KIOSK_TEST_ASSETS, missing, { recursive: true }); // `npm run build`, without a restart
      expect((await app.request("/kiosk")).status).toBe(200);
    });
  });

  describe("security", () => {
    const demoEnv = { FACCIA_DEMO: "1", FACCIA_TRUST_PROXY: "1" };

    it("hands the demo kiosk's token only to a browser on the gateway's own machine, only in demo mode", async () => {
      await mkdir(join(dataDir, "demo"), { recursive: true });
      await writeFile(join(dataDir, "demo", "kiosk-token.txt"), "fk_demo_token\n");
      const demo = await appWith(demoEnv);
      const local = await demo.request("/kiosk/demo-token", { headers: { "x-forwarded-for": "127.0.0.1" } });
      expect(local.status).toBe(200);
      expect(local.headers.get("cache-control")).toBe("no-store");
      expect(await local.json()).toEqual({ token: "fk_demo_token" });

      const remote = await demo.request("/kiosk/demo-token", { headers: { "x-forwarded-for": "203.0.113.7" } });
      expect(remote.status).toBe(404);
      const notDemo = await appWith({ FACCIA_TRUST_PROXY: "1" });
      const off = await notDemo.request("/kiosk/demo-token", { headers: { "x-forwarded-for": "127.0.0.1" } });
      expect(off.status).toBe(404);
    });
  });
});
