import { randomUUID } from "node:crypto";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { fixedClock } from "../../src/shared/clock.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";
import { problemOf, staffToken } from "../support/staff.js";
import { type StaffSession, sessionRequest, staffSession } from "../support/staff-session.js";

/**
 * Issue 7: "Every staff endpoint checks role and entity (one comune never sees another's data;
 * tests prove it for every route)". The routes come from the gateway's own OpenAPI document, so a
 * route added later is in this matrix without anyone remembering to add it; every call is made
 * with a browser session (cookie + CSRF token), the path the staff web app takes.
 */

const PREFIX = "/api/v1";
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const START = new Date("2026-11-03T10:00:00Z");
const MINUTE = 60_000;

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { format?: string; enum?: string[]; example?: string };
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, unknown> };
}
interface StaffRoute {
  method: string;
  /** As documented: `/api/v1/entities/{ipa}/reports`. */
  template: string;
  label: string;
  parameters: OpenApiParameter[];
  takesBody: boolean;
}

/** Every operation the OpenAPI document lists under `/api/v1`. */
async function documentedStaffRoutes(application: Application): Promise<StaffRoute[]> {
  const response = await application.app.request("/openapi.json");
  const document = (await response.json()) as { paths: Record<string, Record<string, OpenApiOperation>> };
  return Object.entries(document.paths)
    .filter(([template]) => template.startsWith(`${PREFIX}/`))
    .flatMap(([template, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        label: `${method.toUpperCase()} ${template}`,
        parameters: operation.parameters ?? [],
        takesBody: operation.requestBody !== undefined,
      })),
    );
}

/** What `c_test` holds besides the seeded catalogue: a kiosk, an approved report, a recipient. */
interface Holdings {
  kioskId: string;
  reportId: string;
  recipientId: string;
  reasonId: string;
}
/** Strings only `c_test`'s data contains and no request sends: seeing one in a refusal is a leak. */
const KIOSK_NAME = "Chiosco atrio c_test";
const RECIPIENT_ADDRESS = "nucleo.valutazione@pec.c-test.it";

/** Real `c_test` ids where a route names one, so a missing check would answer 2xx rather than 404. */
function pathOf(route: StaffRoute, ipa: string, org: OrgFixture, held: Holdings): string {
  const known: Record<string, string> = {
    "entities/ipa": ipa,
    "kiosks/id": held.kioskId,
    "reports/id": held.reportId,
    "oversight-recipients/id": held.recipientId,
    "offices/officeId": org.officeId,
    "desks/deskId": org.deskId,
    "services/serviceId": org.serviceIds.anagrafe,
    "reasons/reasonId": held.reasonId,
    "files/format": "json",
  };
  const segments = route.template.split("/");
  const path = segments
    .map((segment, i) => {
      const name = /^\{(.+)\}$/.exec(segment)?.[1];
      if (!name) return segment;
      const value = known[`${segments[i - 1]}/${name}`] ?? sampleValue(route.parameters.find((p) => p.name === name));
      return encodeURIComponent(value);
    })
    .join("/");
  const query = route.parameters
    .filter((p) => p.in === "query" && p.required)
    .map((p) => `${p.name}=${encodeURIComponent(sampleValue(p))}`);
  return query.length > 0 ? `${path}?${query.join("&")}` : path;
}

function sampleValue(parameter: OpenApiParameter | undefined): string {
  const schema = parameter?.schema ?? {};
  return schema.enum?.[0] ?? schema.example ?? (schema.format === "uuid" ? randomUUID() : "x");
}

/** `it.each` rows named by the route, in full. */
const cases = (list: StaffRoute[]) => list.map((route) => [route.label, route] as const);

interface SampleBody {
  body: unknown;
  contentType?: string;
}

/** A body each route's schema accepts, so the request reaches the handler's access check. */
function sampleBodies(org: OrgFixture): Record<string, SampleBody> {
  const e = `POST ${PREFIX}/entities/{ipa}`;
  const patch = `PATCH ${PREFIX}/entities/{ipa}`;
  return {
    [`POST ${PREFIX}/entities`]: { body: { ipaCode: "c_intruder", name: "Comune intruso" } },
    [patch]: { body: { name: "Comune rinominato" } },
    [`${e}/kiosks`]: { body: { name: "Chiosco nuovo", officeId: org.officeId } },
    [`${patch}/kiosks/{id}`]: { body: { name: "Chiosco rinominato" } },
    [`${e}/reports`]: { body: { period: "2026-09" } },
    [`${e}/reports/{id}/sign`]: { body: {} },
    [`PUT ${PREFIX}/entities/{ipa}/reports/{id}/signature`]: {
      body: Uint8Array.of(0x30, 0x80, 0x00, 0x00),
      contentType: "application/pkcs7-mime",
    },
    [`PUT ${PREFIX}/entities/{ipa}/pec`]: { body: { address: "protocollo@pec.c-test.it" } },
    [`${e}/oversight-recipients`]: { body: { name: "OIV", address: "oiv@pec.example.it" } },
    [`${e}/offices`]: { body: { name: "Sede nuova" } },
    [`${patch}/offices/{officeId}`]: { body: { name: "Sede rinominata" } },
    [`${e}/desks`]: { body: { officeId: org.officeId, name: "Sportello nuovo" } },
    [`${patch}/desks/{deskId}`]: { body: { name: "Sportello rinominato" } },
    [`${e}/services`]: { body: { deskId: org.deskId, code: "nuovo", name: "Nuovo servizio" } },
    [`${patch}/services/{serviceId}`]: { body: { name: "Servizio rinominato" } },
    [`${e}/reasons`]: { body: { code: "nuovo", label: "Nuovo motivo" } },
    [`${patch}/reasons/{reasonId}`]: { body: { label: "Motivo rinominato" } },
    [`PUT ${PREFIX}/entities/{ipa}/served-counts`]: {
      body: {
        items: [{ serviceId: org.serviceIds.anagrafe, periodStart: "2026-10-01", periodEnd: "2026-10-31", count: 9 }],
      },
    },
    [`${e}/served-counts/import`]: { body: "servizio;dal;al;utenti\n", contentType: "text/csv" },
  };
}

describe.each(backends)("staff API access matrix with browser sessions (%s)", async (backend) => {
  const clock = fixedClock(START);
  // Built while collecting: the routes to iterate over come from this application's document.
  const database = await openTestDatabase(backend);
  const application = await testApplication(database, { clock });
  const routes = await documentedStaffRoutes(application);
  const writes = routes.filter((r) => STATE_CHANGING.has(r.method));

  let org: OrgFixture;
  let held: Holdings;
  let bodies: Record<string, SampleBody>;
  let adminToken: string;
  let admin: StaffSession;
  let otherAdmin: StaffSession;
  const app = application.app;

  beforeAll(async () => {
    org = await seedOrganization(database.db);
    await seedOrganization(database.db, "c_other");
    await seedOrganization(database.db, "c_third");
    bodies = sampleBodies(org);
    adminToken = await staffToken(application, "admin", "c_test");
    held = await holdingsOf(application, org, adminToken);
    admin = await staffSession(application, { ipa: "c_test", role: "admin" });
    otherAdmin = await staffSession(application, { ipa: "c_other", role: "admin" });
  });
  afterAll(async () => {
    await application.close();
    await database.drop();
  });

  const send = (route: StaffRoute, session: StaffSession, options: { csrf?: boolean | string } = {}) => {
    const sample = bodies[route.label];
    return sessionRequest(app, route.method, pathOf(route, "c_test", org, held), session, {
      ...(options.csrf === undefined ? {} : { csrf: options.csrf }),
      ...(sample ? { body: sample.body, ...(sample.contentType ? { contentType: sample.contentType } : {}) } : {}),
    });
  };
  const auditRows = async () => (await database.db.select({ n: count() }).from(tables.auditEvents))[0]?.n;
  const officeRows = async () => (await database.db.select({ n: count() }).from(tables.offices))[0]?.n;
  const entityIpas = async (session: StaffSession) => {
    const response = await sessionRequest(app, "GET", `${PREFIX}/entities`, session);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: { ipaCode: string }[] }).items.map((e) => e.ipaCode).sort();
  };

  describe("the route list", () => {
    it("comes from the OpenAPI document and holds the known staff routes", () => {
      const labels = routes.map((r) => r.label);
      expect(routes.length).toBeGreaterThan(20);
      for (const known of ["GET /api/v1/entities/{ipa}/reports", "POST /api/v1/entities/{ipa}/reports"]) {
        expect(labels).toContain(known);
      }
      expect(labels).toEqual(expect.arrayContaining(["POST /api/v1/entities", "GET /api/v1/entities/{ipa}/kiosks"]));
      expect(writes.length).toBeGreaterThan(10);
    });

    it("misses no route the gateway serves under /api/v1", () => {
      const documented = new Set(routes.map((r) => `${r.method} ${r.template}`));
      const served = app.routes
        .filter((r) => r.method !== "ALL" && r.path.startsWith(`${PREFIX}/`))
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`);
      expect(served.length).toBeGreaterThan(0);
      expect([...new Set(served)].filter((route) => !documented.has(route))).toEqual([]);
    });

    it("has a sample body for every route that takes one, and none for routes that are gone", () => {
      expect(routes.filter((r) => r.takesBody && !bodies[r.label]).map((r) => r.label)).toEqual([]);
      const labels = new Set(routes.map((r) => r.label));
      expect(Object.keys(bodies).filter((label) => !labels.has(label))).toEqual([]);
    });
  });

  describe("positive controls", () => {
    it("lets a c_test admin session read its entity and list its kiosks", async () => {
      const entity = await sessionRequest(app, "GET", `${PREFIX}/entities/c_test`, admin);
      expect(entity.status).toBe(200);
      expect(await entity.json()).toMatchObject({ ipaCode: "c_test", id: org.entityId });
      const kiosks = await sessionRequest(app, "GET", `${PREFIX}/entities/c_test/kiosks`, admin);
      expect(kiosks.status).toBe(200);
      const { items } = (await kiosks.json()) as { items: { id: string; name: string }[] };
      expect(items.map((k) => k.id)).toEqual([held.kioskId]);
    });

    it("lets a c_test admin session write with its CSRF token, and writes nothing without it", async () => {
      const [offices, audits] = [await officeRows(), await auditRows()];
      const path = `${PREFIX}/entities/c_test/offices`;
      const refused = await sessionRequest(app, "POST", path, admin, { csrf: false, body: { name: "Sede CSRF" } });
      expect(refused.status).toBe(403);
      expect((await problemOf(refused)).code).toBe("AUTH_CSRF_FAILED");
      expect([await officeRows(), await auditRows()]).toEqual([offices, audits]);
      const accepted = await sessionRequest(app, "POST", path, admin, { body: { name: "Sede CSRF" } });
      expect(accepted.status).toBe(201);
      expect([await officeRows(), await auditRows()]).toEqual([Number(offices) + 1, Number(audits) + 1]);
    });
  });

  describe("every route", () => {
    it.each(cases(routes))("401 without a cookie or a token, and with an unknown cookie: %s", async (_, route) => {
      const path = pathOf(route, "c_test", org, held);
      const anonymous = await jsonRequest(app, route.method, path, bodies[route.label]?.body);
      expect(anonymous.status).toBe(401);
      expect((await problemOf(anonymous)).code).toBe("AUTH_MISSING_TOKEN");
      const forged = await sessionRequest(app, route.method, path, { cookie: "faccia_session=forged", csrfToken: "x" });
      expect(forged.status).toBe(401);
      expect((await problemOf(forged)).code).toBe("AUTH_SESSION_EXPIRED");
    });

    it.each(cases(routes))("a session with roles only in c_other gets nothing of c_test: %s", async (_, route) => {
      const response = await send(route, otherAdmin);
      const text = await response.text();
      for (const marker of [org.entityId, org.otherOfficeId, "Comune di c_test", KIOSK_NAME, RECIPIENT_ADDRESS]) {
        expect(text).not.toContain(marker);
      }
      if (!route.template.includes("{ipa}") && route.method === "GET") {
        expect(response.status).toBe(200);
      } else if (!route.template.includes("{ipa}")) {
        // Not tied to one entity and changing something: platform-wide callers only.
        expect(response.status).toBe(403);
      } else {
        expect([403, 404]).toContain(response.status);
        expect(["AUTH_FORBIDDEN", "RESOURCE_NOT_FOUND"]).toContain((JSON.parse(text) as { code: string }).code);
      }
    });
  });

  describe("every state-changing route", () => {
    it.each(cases(writes))("refuses a session without its CSRF token, before any write: %s", async (_, route) => {
      const before = await auditRows();
      // Before the role check too: a foreign session learns nothing either.
      for (const [session, csrf] of [
        [admin, false],
        [admin, otherAdmin.csrfToken],
        [admin, ""],
        [otherAdmin, false],
      ] as const) {
        const response = await send(route, session, { csrf });
        expect(response.status).toBe(403);
        expect((await problemOf(response)).code).toBe("AUTH_CSRF_FAILED");
      }
      expect(await auditRows()).toBe(before);
    });

    it.each(
      writes.flatMap((route) => (["viewer", "operator"] as const).map((role) => [role, route.label, route] as const)),
    )("refuses a c_test %s session: %s", async (role, _, route) => {
      const session = await staffSession(application, { ipa: "c_test", role });
      const before = await auditRows();
      const response = await send(route, session);
      expect(response.status).toBe(403);
      expect((await problemOf(response)).code).toBe("AUTH_FORBIDDEN");
      expect(await auditRows()).toBe(before);
    });

    it("keeps platform-wide routes from an entity admin session", async () => {
      const platformOnly = writes.filter(
        (r) => r.template === `${PREFIX}/entities` || r.label === `DELETE ${PREFIX}/entities/{ipa}`,
      );
      expect(platformOnly.map((r) => r.label).sort()).toEqual([
        `DELETE ${PREFIX}/entities/{ipa}`,
        `POST ${PREFIX}/entities`,
      ]);
      const entities = async () => (await database.db.select({ n: count() }).from(tables.entities))[0]?.n;
      const before = await entities();
      for (const route of platformOnly) {
        const response = await send(route, admin);
        expect(response.status).toBe(403);
        expect((await problemOf(response)).code).toBe("AUTH_FORBIDDEN");
      }
      expect(await entities()).toBe(before);
    });
  });

  describe("login level", () => {
    const signing = ["POST /reports/{id}/sign", "PUT /reports/{id}/signature", "POST /reports/{id}/dispatch"];
    const routeOf = (short: string) => {
      const [method, rest] = short.split(" ");
      const route = routes.find((r) => r.method === method && r.template === `${PREFIX}/entities/{ipa}${rest}`);
      if (!route) throw new Error(`${short} is not documented`);
      return route;
    };

    it.each(signing)("refuses %s on an approved report to a level 1 secretary session", async (short) => {
      const session = await staffSession(application, { ipa: "c_test", role: "secretary", level: 1 });
      const response = await send(routeOf(short), session);
      expect(response.status).toBe(403);
      expect((await problemOf(response)).code).toBe("AUTH_LEVEL_TOO_LOW");
      const report = await jsonRequest(
        app,
        "GET",
        `${PREFIX}/entities/c_test/reports/${held.reportId}`,
        undefined,
        adminToken,
      );
      expect(((await report.json()) as { status: string }).status).toBe("approved");
    });

    it("checks the level before the report: level 1 is refused, level 2 and 3 reach the missing report", async () => {
      const path = `${PREFIX}/entities/c_test/reports/${randomUUID()}/sign`;
      for (const [level, status, code] of [
        [1, 403, "AUTH_LEVEL_TOO_LOW"],
        [2, 404, "RESOURCE_NOT_FOUND"],
        [3, 404, "RESOURCE_NOT_FOUND"],
      ] as const) {
        const session = await staffSession(application, { ipa: "c_test", role: "secretary", level });
        const response = await sessionRequest(app, "POST", path, session, { body: {} });
        expect([level, response.status, (await problemOf(response)).code]).toEqual([level, status, code]);
      }
    });

    it("does not limit a personal access token by level", async () => {
      const token = await staffToken(application, "secretary", "c_test");
      const missing = await jsonRequest(
        app,
        "POST",
        `${PREFIX}/entities/c_test/reports/${randomUUID()}/sign`,
        {},
        token,
      );
      expect(missing.status).toBe(404);
      const response = await jsonRequest(
        app,
        "POST",
        `${PREFIX}/entities/c_test/reports/${held.reportId}/sign`,
        {},
        token,
      );
      expect((await problemOf(response)).code).toBe("SIGNER_NOT_CONFIGURED");
    });
  });

  describe("roles are read on every request", () => {
    it("takes write access away at once when the role becomes viewer, and all access when it is removed", async () => {
      const session = await staffSession(application, { ipa: "c_test", role: "admin" });
      const path = `${PREFIX}/entities/c_test/offices`;
      expect((await sessionRequest(app, "POST", path, session, { body: { name: "Sede prima" } })).status).toBe(201);
      await application.services.staffUsers.add({
        entityIpaCode: "c_test",
        fiscalCode: session.fiscalCode,
        role: "viewer",
        actor: "test",
      });
      const refused = await sessionRequest(app, "POST", path, session, { body: { name: "Sede dopo" } });
      expect(refused.status).toBe(403);
      expect((await problemOf(refused)).code).toBe("AUTH_FORBIDDEN");
      expect((await sessionRequest(app, "GET", path, session)).status).toBe(200);
      await application.services.staffUsers.remove({
        entityIpaCode: "c_test",
        fiscalCode: session.fiscalCode,
        actor: "test",
      });
      expect((await sessionRequest(app, "GET", path, session)).status).toBe(403);
      expect(await entityIpas(session)).toEqual([]);
    });

    it("lists exactly the two comuni where a user holds roles", async () => {
      const first = await staffSession(application, { ipa: "c_third", role: "secretary" });
      const session = await staffSession(application, { ipa: "c_test", role: "viewer", fiscalCode: first.fiscalCode });
      expect(await entityIpas(session)).toEqual(["c_test", "c_third"]);
      expect((await sessionRequest(app, "GET", `${PREFIX}/entities/c_third`, session)).status).toBe(200);
      expect((await sessionRequest(app, "GET", `${PREFIX}/entities/c_other`, session)).status).toBe(403);
    });
  });

  // Last: these move the application's clock.
  describe("session lifetime", () => {
    const read = (session: StaffSession) => sessionRequest(app, "GET", `${PREFIX}/entities/c_test`, session);

    it("ends a session after 30 minutes without requests", async () => {
      const session = await staffSession(application, { ipa: "c_test", role: "operator" });
      for (let i = 0; i < 3; i++) {
        clock.advance(29 * MINUTE);
        expect((await read(session)).status).toBe(200);
      }
      clock.advance(31 * MINUTE);
      const expired = await read(session);
      expect(expired.status).toBe(401);
      expect((await problemOf(expired)).code).toBe("AUTH_SESSION_EXPIRED");
    });

    it("ends a session 8 hours after the login even with a request every 20 minutes", async () => {
      const session = await staffSession(application, { ipa: "c_test", role: "operator" });
      for (let elapsed = 20; elapsed < 8 * 60; elapsed += 20) {
        clock.advance(20 * MINUTE);
        expect([elapsed, (await read(session)).status]).toEqual([elapsed, 200]);
      }
      clock.advance(20 * MINUTE);
      const expired = await read(session);
      expect(expired.status).toBe(401);
      expect((await problemOf(expired)).code).toBe("AUTH_SESSION_EXPIRED");
    });
  });
});

/** A kiosk, an approved October report and an oversight recipient in `c_test`, made through the API. */
async function holdingsOf(application: Application, org: OrgFixture, token: string): Promise<Holdings> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await jsonRequest(application.app, method, `${PREFIX}/entities/c_test${path}`, body, token);
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return (await response.json()) as { id?: string; kiosk?: { id: string }; items?: { id: string }[] };
  };
  const kiosk = await call("POST", "/kiosks", { name: KIOSK_NAME, officeId: org.officeId });
  const report = await call("POST", "/reports", { period: "2026-10" });
  await call("POST", `/reports/${report.id}/approve`);
  const recipient = await call("POST", "/oversight-recipients", { name: "Nucleo", address: RECIPIENT_ADDRESS });
  const reasons = await call("GET", "/reasons");
  const held = {
    kioskId: kiosk.kiosk?.id,
    reportId: report.id,
    recipientId: recipient.id,
    reasonId: reasons.items?.[0]?.id,
  };
  // A missing id would turn the matrix's real ids into random ones and weaken it silently.
  for (const id of Object.values(held)) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return held as Holdings;
}
