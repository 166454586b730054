import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";

describe.each(backends)("kiosk votes API on %s", (backend) => {
  let database: TestDatabase;
  let application: Application;
  let org: OrgFixture;
  let token: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    application = await testApplication(database);
    org = await seedOrganization(database.db);
    const { pairing } = await application.services.kiosks.create(org.entityId, {
      name: "Totem",
      officeId: org.officeId,
    });
    const paired = await jsonRequest(application.app, "POST", "/api/kiosk/v1/pair", { code: pairing.code });
    token = ((await paired.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await application?.close();
    await database?.drop();
  });

  const vote = (overrides: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    serviceId: org.serviceIds.anagrafe,
    judgment: "positive",
    castAt: new Date(Date.now() - 60_000 - Math.floor(Math.random() * 1e7)).toISOString(),
    ...overrides,
  });
  const send = (votes: unknown[], extra: Record<string, unknown> = {}) =>
    jsonRequest(application.app, "POST", "/api/kiosk/v1/votes", { votes, ...extra }, token);

  describe("happy", () => {
    it("stores a batch and reports every vote as accepted", async () => {
      const batch = [vote(), vote({ judgment: "negative", reason: "tempo-attesa" }), vote({ judgment: "sufficient" })];
      const response = await send(batch);
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toEqual({ accepted: batch.map((v) => v.id), duplicates: [], rejected: [] });
    });

    it("treats a resent vote as a duplicate, never a second vote", async () => {
      const first = vote();
      await send([first]);
      const response = await send([first, vote()]);
      const body = (await response.json()) as { accepted: string[]; duplicates: string[] };
      expect(body.duplicates).toEqual([first.id]);
      expect(body.accepted).toHaveLength(1);
    });
  });

  describe("per-vote rejection", () => {
    it.each([
      ["VOTE_UNKNOWN_SERVICE", { serviceId: randomUUID() }],
      ["VOTE_SERVICE_NOT_OFFERED", "other"],
      ["VOTE_REASON_NOT_ALLOWED", { judgment: "positive", reason: "tempo-attesa" }],
      ["VOTE_UNKNOWN_REASON", { judgment: "negative", reason: "parcheggio" }],
      ["VOTE_CAST_IN_FUTURE", { castAt: new Date(Date.now() + 10 * 60_000).toISOString() }],
      ["VOTE_TOO_OLD", { castAt: new Date(Date.now() - 61 * 86_400_000).toISOString() }],
      ["VOTE_INVALID", { judgment: "excellent" }],
    ])("refuses %s and still stores the good votes beside it", async (code, overrides) => {
      const bad = vote(
        overrides === "other" ? { serviceId: org.serviceIds.other } : (overrides as Record<string, unknown>),
      );
      const good = vote();
      const response = await send([good, bad]);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { accepted: string[]; rejected: { id: string; code: string }[] };
      expect(body.accepted).toEqual([good.id]);
      expect(body.rejected).toEqual([expect.objectContaining({ id: bad.id, code })]);
    });

    it("refuses a reused id with different content as VOTE_ID_CONFLICT", async () => {
      const original = vote();
      await send([original]);
      const response = await send([{ ...original, judgment: "negative" }]);
      const body = (await response.json()) as { rejected: { code: string }[] };
      expect(body.rejected).toEqual([expect.objectContaining({ id: original.id, code: "VOTE_ID_CONFLICT" })]);
    });
  });

  describe("errors", () => {
    it("refuses malformed JSON with a problem document and stores nothing", async () => {
      const response = await application.app.request("/api/kiosk/v1/votes", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: '{"votes": [',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ code: "REQUEST_INVALID_JSON", status: 400 });
    });

    it("refuses a batch whose envelope breaks the schema", async () => {
      const before = await database.db.$count(tables.votes);
      const response = await send(Array.from({ length: 501 }, () => vote()));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: "REQUEST_VALIDATION_FAILED" });
      expect(await database.db.$count(tables.votes)).toBe(before);
    });
  });

  describe("security", () => {
    it("refuses a request without a token", async () => {
      const response = await jsonRequest(application.app, "POST", "/api/kiosk/v1/votes", { votes: [vote()] });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: "AUTH_MISSING_TOKEN" });
    });
  });
});
