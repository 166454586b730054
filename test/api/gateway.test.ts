import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayApp } from "../../src/gateway/index.js";
import type { Application } from "../../src/main.js";
import { AppError } from "../../src/shared/errors.js";
import type { AppEnv } from "../../src/shared/http/env.js";
import { createRouter } from "../../src/shared/http/router.js";
import { silentLogger } from "../../src/shared/logger.js";
import { testApplication } from "../support/app.js";
import { openTestDatabase, type TestDatabase } from "../support/databases.js";

const PROBLEM_KEYS = ["code", "detail", "instance", "requestId", "status", "title", "type"];

describe("gateway", () => {
  let database: TestDatabase;
  let application: Application;
  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    application = await testApplication(database);
  });
  afterAll(async () => {
    await application?.close();
    await database?.drop();
  });

  describe("problem documents", () => {
    it("answers an unknown route with an RFC 9457 problem carrying a stable code and the request id", async () => {
      const response = await application.app.request("/nope");
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const problem = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(problem).sort()).toEqual(PROBLEM_KEYS);
      expect(problem).toMatchObject({ status: 404, code: "ROUTE_NOT_FOUND", instance: "/nope" });
      expect(problem.requestId).toBe(response.headers.get("x-request-id"));
    });

    it("hides internals of an unexpected error behind a generic 500", async () => {
      const failing = createRouter();
      failing.get("/boom", () => {
        throw new Error("password=hunter2 at /srv/faccia/src/secret.ts:42");
      });
      const app = createGatewayApp({
        log: silentLogger(),
        readiness: { problems: async () => [] },
        version: "test",
        kioskApi: createRouter(),
        kioskApp: new Hono<AppEnv>(),
        staffApis: [failing],
        staffAuth: async (_c, next) => next(),
      });
      const response = await app.request("/api/v1/boom");
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toContain("hunter2");
      expect(text).not.toContain("secret.ts");
      expect(JSON.parse(text)).toMatchObject({ code: "INTERNAL_ERROR", status: 500 });
    });

    it("maps an AppError's kind to its HTTP status", async () => {
      const failing = new Hono<AppEnv>();
      failing.get("/gone", () => {
        throw new AppError("RESOURCE_NOT_FOUND", "entity c_x not found");
      });
      const app = createGatewayApp({
        log: silentLogger(),
        readiness: { problems: async () => [] },
        version: "test",
        kioskApi: createRouter(),
        kioskApp: new Hono<AppEnv>(),
        staffApis: [failing as unknown as ReturnType<typeof createRouter>],
        staffAuth: async (_c, next) => next(),
      });
      const response = await app.request("/api/v1/gone");
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: "RESOURCE_NOT_FOUND", detail: "entity c_x not found" });
    });
  });

  describe("request ids", () => {
    it("puts a request id on every response and keeps a well-formed one from the caller", async () => {
      const fresh = await application.app.request("/healthz");
      expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const kept = await application.app.request("/healthz", { headers: { "x-request-id": "kiosk-42-abc" } });
      expect(kept.headers.get("x-request-id")).toBe("kiosk-42-abc");
    });
  });

  describe("OpenAPI", () => {
    it("publishes an OpenAPI 3.1 document with the kiosk and staff routes", async () => {
      const response = await application.app.request("/openapi.json");
      expect(response.status).toBe(200);
      const doc = (await response.json()) as {
        openapi: string;
        paths: Record<string, unknown>;
        components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
      };
      expect(doc.openapi).toBe("3.1.0");
      for (const path of [
        "/api/kiosk/v1/pair",
        "/api/kiosk/v1/config",
        "/api/kiosk/v1/votes",
        "/api/kiosk/v1/heartbeat",
        "/api/v1/entities/{ipa}/kiosks",
      ]) {
        expect(Object.keys(doc.paths)).toContain(path);
      }
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["accessToken", "kioskToken", "session"]);
      expect(doc.components.schemas).toHaveProperty("Problem");
    });

    it("serves a browsable reference without fetching anything from the Internet", async () => {
      const page = await application.app.request("/docs");
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toMatch(/https?:\/\//);
      const bundle = await application.app.request("/docs/assets/swagger-ui-bundle.js");
      expect(bundle.status).toBe(200);
      expect((await application.app.request("/docs/assets/..%2Fpackage.json")).status).toBe(404);
    });
  });
});
