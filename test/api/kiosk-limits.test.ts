import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { fixedClock } from "../../src/shared/clock.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";

describe.each(backends)("kiosk limits, repeats and clock skew on %s", (backend) => {
  const start = new Date("2026-11-26T09:00:00Z");
  const clock = fixedClock(start);
  let database: TestDatabase;
  let application: Application;
  let org: OrgFixture;
  let counter = 0;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    application = await testApplication(database, {
      clock,
      env: { FACCIA_KIOSK_RATE_LIMIT: "5", FACCIA_PAIRING_RATE_LIMIT: "3" },
    });
    org = await seedOrganization(database.db);
  });
  afterAll(async () => {
    await application?.close();
    await database?.drop();
  });

  async function pairedKiosk(): Promise<string> {
    counter += 1;
    const { pairing } = await application.services.kiosks.create(org.entityId, {
      name: `K${counter}`,
      officeId: org.officeId,
    });
    const token = await application.services.pairKiosk(pairing.code);
    return token.token;
  }
  const vote = (castAt: Date, overrides: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    serviceId: org.serviceIds.anagrafe,
    judgment: "positive",
    castAt: castAt.toISOString(),
    ...overrides,
  });
  const post = (token: string, body: unknown) =>
    jsonRequest(application.app, "POST", "/api/kiosk/v1/votes", body, token);
  const stored = (id: string) => database.db.select().from(tables.votes).where(eq(tables.votes.id, id));

  it("answers 429 with Retry-After once a kiosk exceeds its rate, without slowing other kiosks", async () => {
    const busy = await pairedKiosk();
    const calm = await pairedKiosk();
    for (let i = 0; i < 5; i++) expect((await post(busy, { votes: [vote(clock.now())] })).status).toBe(200);
    const limited = await post(busy, { votes: [vote(clock.now())] });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ code: "RATE_LIMITED" });
    expect((await post(calm, { votes: [vote(clock.now())] })).status).toBe(200);
    clock.advance(12_000);
    expect((await post(busy, { votes: [vote(clock.now())] })).status).toBe(200);
  });

  it("limits pairing attempts per client address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await jsonRequest(application.app, "POST", "/api/kiosk/v1/pair", { code: "AAAA-BBBB" })).status);
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
  });

  it.each([
    ["announced by Content-Length", true],
    ["sent without a length (chunked)", false],
  ])("refuses a body over 256 KB %s with 413 and stores nothing", async (_how, withLength) => {
    const token = await pairedKiosk();
    const first = vote(clock.now());
    const body = JSON.stringify({ votes: [first], padding: "x".repeat(270 * 1024) });
    const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${token}` };
    if (withLength) headers["content-length"] = String(Buffer.byteLength(body));
    const response = await application.app.request("/api/kiosk/v1/votes", { method: "POST", headers, body });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ code: "REQUEST_BODY_TOO_LARGE" });
    expect(await stored(first.id)).toHaveLength(0);
  });

  it("flags votes closer than repeatIntervalSeconds to the previous one, across batches", async () => {
    const token = await pairedKiosk();
    const t0 = new Date(clock.now().getTime() - 3_600_000);
    const a = vote(t0);
    const b = vote(new Date(t0.getTime() + 1_000));
    const c = vote(new Date(t0.getTime() + 10_000));
    await post(token, { votes: [a, c] });
    await post(token, { votes: [b] });
    const d = vote(new Date(t0.getTime() + 12_000));
    await post(token, { votes: [d] });
    const flags = await Promise.all([a, b, c, d].map(async (v) => (await stored(v.id))[0]?.suspectedRepeat));
    expect(flags).toEqual([false, true, false, true]);
  });

  it("keeps a skewed kiosk's raw castAt and stores the corrected time beside it", async () => {
    const token = await pairedKiosk();
    const kioskNow = new Date("2000-01-01T00:00:00Z");
    const cast = new Date(kioskNow.getTime() - 30_000);
    const skewed = vote(cast);
    const response = await post(token, { sentAt: kioskNow.toISOString(), votes: [skewed] });
    expect(await response.json()).toMatchObject({ accepted: [skewed.id] });
    const [row] = await stored(skewed.id);
    expect(row?.castAt.toISOString()).toBe(cast.toISOString());
    expect(row?.castAtCorrected?.toISOString()).toBe(new Date(clock.now().getTime() - 30_000).toISOString());
  });

  it("stores no corrected time when the kiosk clock is within a minute", async () => {
    const token = await pairedKiosk();
    const sentAt = new Date(clock.now().getTime() - 20_000);
    const fine = vote(new Date(sentAt.getTime() - 5_000));
    await post(token, { sentAt: sentAt.toISOString(), votes: [fine] });
    expect((await stored(fine.id))[0]?.castAtCorrected).toBeNull();
  });
});
