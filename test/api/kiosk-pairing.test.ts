import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tables } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { fixedClock } from "../../src/shared/clock.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";

describe.each(backends)("kiosk pairing, config and heartbeat on %s", (backend) => {
  const clock = fixedClock(new Date("2026-11-26T09:00:00Z"));
  let database: TestDatabase;
  let application: Application;
  let org: OrgFixture;
  let adminToken: string;
  let operatorToken: string;
  let counter = 0;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    application = await testApplication(database, { clock, env: { FACCIA_PAIRING_RATE_LIMIT: "1000" } });
    org = await seedOrganization(database.db);
    await seedOrganization(database.db, "c_other");
    adminToken = (await application.services.accessTokens.create({ name: "t", role: "admin", entityIpaCode: "c_test" }))
      .token;
    operatorToken = (
      await application.services.accessTokens.create({ name: "o", role: "operator", entityIpaCode: "c_test" })
    ).token;
  });
  afterAll(async () => {
    await application?.close();
    await database?.drop();
  });
  beforeEach(() => clock.set(new Date("2026-11-26T09:00:00Z")));

  const staff = (method: string, path: string, body?: unknown, token = adminToken) =>
    jsonRequest(application.app, method, `/api/v1/entities/c_test${path}`, body, token);
  const pair = (code: string) => jsonRequest(application.app, "POST", "/api/kiosk/v1/pair", { code });
  async function newKiosk(): Promise<{ id: string; code: string }> {
    counter += 1;
    const response = await staff("POST", "/kiosks", { name: `Totem ${counter}`, officeId: org.officeId });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { kiosk: { id: string }; pairing: { code: string } };
    return { id: body.kiosk.id, code: body.pairing.code };
  }

  describe("pairing", () => {
    it("exchanges a code for a token and the kiosk's profile", async () => {
      const { code } = await newKiosk();
      const response = await pair(code);
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        token: string;
        kiosk: { services: { code: string }[]; reasons: { code: string }[]; labels: Record<string, unknown> };
      };
      expect(body.token).toMatch(/^fk_/);
      expect(body.kiosk.services.map((s) => s.code)).toEqual(["anagrafe", "tributi"]);
      expect(body.kiosk.reasons.map((r) => r.code)).toEqual(["tempo-attesa", "cortesia"]);
      expect(Object.keys(body.kiosk.labels).sort()).toEqual(["de", "en", "fr", "it", "sl"]);
    });

    it("stores the kiosk token only as a hash", async () => {
      const { id, code } = await newKiosk();
      const { token } = (await (await pair(code)).json()) as { token: string };
      const [row] = await database.db.select().from(tables.kiosks).where(eq(tables.kiosks.id, id));
      expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(token);
    });

    it("accepts a code typed in lower case without the dash", async () => {
      const { code } = await newKiosk();
      expect((await pair(code.replace("-", "").toLowerCase())).status).toBe(200);
    });

    it("accepts a code only once", async () => {
      const { code } = await newKiosk();
      expect((await pair(code)).status).toBe(200);
      const second = await pair(code);
      expect(second.status).toBe(400);
      expect(await second.json()).toMatchObject({ code: "KIOSK_PAIRING_CODE_INVALID" });
    });

    it("lets only one of two simultaneous uses of a code succeed", async () => {
      const { code } = await newKiosk();
      const statuses = (await Promise.all([pair(code), pair(code)])).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 400]);
    });

    it("refuses a code after 15 minutes", async () => {
      const fresh = await newKiosk();
      const stale = await newKiosk();
      clock.advance(15 * 60_000 - 1000);
      expect((await pair(fresh.code)).status).toBe(200);
      clock.advance(2000);
      const response = await pair(stale.code);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: "KIOSK_PAIRING_CODE_INVALID" });
    });
  });

  describe("revocation", () => {
    it("stops the token at once, and a new code pairs the kiosk again", async () => {
      const { id, code } = await newKiosk();
      const { token } = (await (await pair(code)).json()) as { token: string };
      expect((await jsonRequest(application.app, "GET", "/api/kiosk/v1/config", undefined, token)).status).toBe(200);
      expect((await staff("POST", `/kiosks/${id}/revoke`)).status).toBe(200);
      const refused = await jsonRequest(application.app, "GET", "/api/kiosk/v1/config", undefined, token);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ code: "AUTH_INVALID_TOKEN" });
      const again = (await (await staff("POST", `/kiosks/${id}/pairing-codes`)).json()) as { code: string };
      expect((await pair(again.code)).status).toBe(200);
    });

    it("voids the open pairing codes of a revoked kiosk", async () => {
      const { id, code } = await newKiosk();
      await staff("POST", `/kiosks/${id}/revoke`);
      expect((await pair(code)).status).toBe(400);
    });
  });

  describe("config and heartbeat", () => {
    it("serves the changed service list to a paired kiosk", async () => {
      const { id, code } = await newKiosk();
      const { token } = (await (await pair(code)).json()) as { token: string };
      await staff("PATCH", `/kiosks/${id}`, { serviceIds: [org.serviceIds.tributi] });
      const config = (await (
        await jsonRequest(application.app, "GET", "/api/kiosk/v1/config", undefined, token)
      ).json()) as {
        services: { code: string }[];
      };
      expect(config.services.map((s) => s.code)).toEqual(["tributi"]);
    });

    it("records the kiosk's last contact, version, queue depth and the day it was seen", async () => {
      const { id, code } = await newKiosk();
      const { token } = (await (await pair(code)).json()) as { token: string };
      clock.advance(60_000);
      const response = await jsonRequest(
        application.app,
        "POST",
        "/api/kiosk/v1/heartbeat",
        { appVersion: "1.2.3", queueDepth: 4, lastSyncAt: "2026-11-26T08:59:00Z" },
        token,
      );
      expect(response.status).toBe(200);
      const kiosk = (await (await staff("GET", `/kiosks/${id}`)).json()) as Record<string, unknown>;
      expect(kiosk).toMatchObject({ appVersion: "1.2.3", queueDepth: 4, lastSeenAt: "2026-11-26T09:01:00.000Z" });
      const days = await database.db
        .select()
        .from(tables.kioskHeartbeatDays)
        .where(eq(tables.kioskHeartbeatDays.kioskId, id));
      expect(days.map((d) => d.day)).toEqual(["2026-11-26"]);
    });

    it("refuses a heartbeat that breaks the schema, listing the bad fields", async () => {
      const { code } = await newKiosk();
      const { token } = (await (await pair(code)).json()) as { token: string };
      const response = await jsonRequest(application.app, "POST", "/api/kiosk/v1/heartbeat", { queueDepth: -1 }, token);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { code: string; errors: { path: string }[] };
      expect(problem.code).toBe("REQUEST_VALIDATION_FAILED");
      expect(problem.errors.map((e) => e.path).sort()).toEqual(["/appVersion", "/lastSyncAt", "/queueDepth"]);
    });
  });

  describe("staff kiosk API security", () => {
    it("refuses the staff API without a token", async () => {
      const response = await jsonRequest(application.app, "GET", "/api/v1/entities/c_test/kiosks");
      expect(response.status).toBe(401);
    });

    it("refuses a token scoped to another entity", async () => {
      const response = await jsonRequest(
        application.app,
        "GET",
        "/api/v1/entities/c_other/kiosks",
        undefined,
        adminToken,
      );
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: "AUTH_FORBIDDEN" });
    });

    it("lets an operator read kiosks but not create one", async () => {
      expect((await staff("GET", "/kiosks", undefined, operatorToken)).status).toBe(200);
      const response = await staff("POST", "/kiosks", { name: "X", officeId: org.officeId }, operatorToken);
      expect(response.status).toBe(403);
    });
  });
});
