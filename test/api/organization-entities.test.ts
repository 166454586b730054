import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";
import { problemOf, staffToken } from "../support/staff.js";

describe.each(backends)("staff API: entities on %s", (backend) => {
  let database: TestDatabase;
  let application: Application;
  let org: OrgFixture;
  let platformAdmin: string;
  let entityAdmin: string;
  let operator: string;
  let counter = 0;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    application = await testApplication(database);
    org = await seedOrganization(database.db);
    await seedOrganization(database.db, "c_other");
    platformAdmin = await staffToken(application, "admin");
    entityAdmin = await staffToken(application, "admin", org.ipaCode);
    operator = await staffToken(application, "operator", org.ipaCode);
  });
  afterAll(async () => {
    await application?.close();
    await database?.drop();
  });

  const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
    jsonRequest(application.app, method, `/api/v1${path}`, body, token);
  const newIpa = () => `c_new${++counter}`;
  const createEntity = async (body: Record<string, unknown> = {}) => {
    const ipaCode = newIpa();
    const response = await call("POST", "/entities", platformAdmin, { ipaCode, name: `Comune ${ipaCode}`, ...body });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; ipaCode: string } & Record<string, unknown>;
  };

  describe("happy", () => {
    it("creates an entity with the defaults and the default reason catalogue in five languages", async () => {
      const entity = await createEntity();
      expect(entity).toMatchObject({
        timezone: "Europe/Rome",
        defaultLanguage: "it",
        languages: ["it", "en", "de", "fr", "sl"],
        repeatIntervalSeconds: 3,
        minCellSize: 5,
      });
      const reasons = await call("GET", `/entities/${entity.ipaCode}/reasons`, platformAdmin);
      const { items } = (await reasons.json()) as { items: { code: string; label: string; labels: object }[] };
      expect(items.map((r) => r.code)).toEqual(["tempo-attesa", "tempo-erogazione", "cortesia", "chiarezza"]);
      expect(items[0]).toMatchObject({ label: "Tempo di attesa", labels: { en: "Waiting time" } });
      for (const reason of items) expect(Object.keys(reason.labels).sort()).toEqual(["de", "en", "fr", "sl"]);
    });

    it("reads back and changes an entity's settings", async () => {
      const entity = await createEntity({ timezone: "Europe/Berlin", languages: ["de", "it"], defaultLanguage: "de" });
      const patched = await call("PATCH", `/entities/${entity.ipaCode}`, platformAdmin, {
        name: "Gemeinde Neu",
        idleSeconds: 45,
        faceLabels: { de: { positive: "Gut" } },
      });
      expect(patched.status).toBe(200);
      const read = await call("GET", `/entities/${entity.ipaCode.toUpperCase()}`, platformAdmin);
      expect(await read.json()).toMatchObject({
        ipaCode: entity.ipaCode,
        name: "Gemeinde Neu",
        timezone: "Europe/Berlin",
        defaultLanguage: "de",
        idleSeconds: 45,
        faceLabels: { de: { positive: "Gut" } },
      });
    });

    it("lets an entity admin change their own entity", async () => {
      const response = await call("PATCH", `/entities/${org.ipaCode}`, entityAdmin, { thankYouSeconds: 5 });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ipaCode: org.ipaCode, thankYouSeconds: 5 });
    });

    it("lists every entity to a platform-wide token and only its own to a scoped one", async () => {
      const all = (await (await call("GET", "/entities", platformAdmin)).json()) as { items: { ipaCode: string }[] };
      expect(all.items.map((e) => e.ipaCode)).toEqual(expect.arrayContaining([org.ipaCode, "c_other"]));
      const own = (await (await call("GET", "/entities", operator)).json()) as { items: { ipaCode: string }[] };
      expect(own.items.map((e) => e.ipaCode)).toEqual([org.ipaCode]);
    });

    it("deletes an entity that has nothing but its reasons", async () => {
      const entity = await createEntity();
      const response = await call("DELETE", `/entities/${entity.ipaCode}`, platformAdmin);
      expect(response.status).toBe(204);
      expect((await call("GET", `/entities/${entity.ipaCode}`, platformAdmin)).status).toBe(404);
    });
  });

  describe("errors", () => {
    it("refuses a second entity with the same IPA code as RESOURCE_CONFLICT", async () => {
      const response = await call("POST", "/entities", platformAdmin, { ipaCode: org.ipaCode, name: "Doppio" });
      expect(response.status).toBe(409);
      const problem = await problemOf(response);
      expect(problem.code).toBe("RESOURCE_CONFLICT");
      expect(problem.detail).toContain(org.ipaCode);
    });

    it("refuses an unknown time zone and a default language the kiosk does not offer", async () => {
      const zone = await call("POST", "/entities", platformAdmin, {
        ipaCode: newIpa(),
        name: "X",
        timezone: "Mars/Olympus",
      });
      expect(zone.status).toBe(400);
      expect(await problemOf(zone)).toMatchObject({
        code: "REQUEST_VALIDATION_FAILED",
        errors: [{ path: "/timezone" }],
      });
      const language = await call("PATCH", `/entities/${org.ipaCode}`, platformAdmin, { languages: ["en"] });
      expect(language.status).toBe(400);
      expect(await problemOf(language)).toMatchObject({ errors: [{ path: "/defaultLanguage" }] });
    });

    it("refuses to change the IPA code", async () => {
      const response = await call("PATCH", `/entities/${org.ipaCode}`, platformAdmin, { ipaCode: "c_renamed" });
      expect(response.status).toBe(400);
    });

    it("answers 404 for an unknown entity", async () => {
      for (const method of ["GET", "PATCH", "DELETE"]) {
        const response = await call(method, "/entities/c_nowhere", platformAdmin, method === "PATCH" ? {} : undefined);
        expect(response.status).toBe(404);
        expect((await problemOf(response)).code).toBe("RESOURCE_NOT_FOUND");
      }
    });

    it("refuses to delete an entity that still has offices, and keeps it whole", async () => {
      const response = await call("DELETE", `/entities/${org.ipaCode}`, platformAdmin);
      expect(response.status).toBe(409);
      const problem = await problemOf(response);
      expect(problem.code).toBe("RESOURCE_IN_USE");
      expect(problem.detail).toMatch(/offices|desks|services|reasons|kiosks/);
      const reasons = (await (await call("GET", `/entities/${org.ipaCode}/reasons`, platformAdmin)).json()) as {
        items: unknown[];
      };
      expect(reasons.items).toHaveLength(2);
      expect(await database.db.$count(tables.offices, eq(tables.offices.entityId, org.entityId))).toBe(2);
    });
  });

  describe("security", () => {
    it("refuses a request without a token", async () => {
      const response = await call("GET", "/entities", undefined);
      expect(response.status).toBe(401);
      expect((await problemOf(response)).code).toBe("AUTH_MISSING_TOKEN");
    });

    it("lets only a platform-wide admin create or delete entities", async () => {
      const create = await call("POST", "/entities", entityAdmin, { ipaCode: newIpa(), name: "Abusivo" });
      expect(create.status).toBe(403);
      expect((await problemOf(create)).code).toBe("AUTH_FORBIDDEN");
      const platformOperator = await staffToken(application, "operator");
      expect((await call("POST", "/entities", platformOperator, { ipaCode: newIpa(), name: "X" })).status).toBe(403);
      expect((await call("DELETE", `/entities/${org.ipaCode}`, entityAdmin)).status).toBe(403);
    });

    it("refuses another entity to a scoped token", async () => {
      expect((await call("GET", "/entities/c_other", entityAdmin)).status).toBe(403);
      expect((await call("PATCH", "/entities/c_other", entityAdmin, { name: "Preso" })).status).toBe(403);
    });

    it("refuses settings changes to an operator", async () => {
      const response = await call("PATCH", `/entities/${org.ipaCode}`, operator, { name: "Operatore" });
      expect(response.status).toBe(403);
      expect((await call("GET", `/entities/${org.ipaCode}`, operator)).status).toBe(200);
    });
  });
});
