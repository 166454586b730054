import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "../../src/db/index.js";
import { createLoginRepository, type LoginRepository } from "../../src/identity/index.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";

const NOW = new Date("2026-12-04T10:00:00Z");
const DAY = 86_400_000;

function monthsAgo(months: number, extraDays = 0): Date {
  const at = new Date(NOW);
  at.setUTCMonth(at.getUTCMonth() - months);
  return new Date(at.getTime() - extraDays * DAY);
}

describe.each(backends)("login records' retention (%s)", (backend) => {
  let database: TestDatabase;
  let repo: LoginRepository;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    repo = createLoginRepository(database.db);
  });
  afterAll(() => database?.drop());

  async function exchange(requestId: string, createdAt: Date, answered = true) {
    await database.db.insert(tables.samlExchanges).values({
      federation: "spid",
      kind: "login",
      idpEntityId: "https://idp.test",
      requestId,
      requestIssueInstant: createdAt,
      requestXml: "<samlp:AuthnRequest/>",
      createdAt,
      ...(answered ? { respondedAt: createdAt, outcome: "accepted" } : {}),
    });
  }

  it("keeps the SAML register 24 months (AgID log.rst) and drops only what is past its time", async () => {
    await exchange("_old", monthsAgo(24, 1));
    await exchange("_kept", monthsAgo(23, 27));
    await exchange("_today", NOW);
    // Our LogoutRequest the IdP never answered is not a pair: it goes after a day.
    await exchange("_unanswered", new Date(NOW.getTime() - 2 * DAY), false);
    await exchange("_unanswered_today", NOW, false);
    expect(await repo.rememberAssertion("_expired", new Date(NOW.getTime() - 1000))).toBe(true);
    expect(await repo.rememberAssertion("_live", new Date(NOW.getTime() + 60_000))).toBe(true);
    await repo.savePending({
      id: "_pending_old",
      federation: "spid",
      idpEntityId: "https://idp.test",
      level: 2,
      issueInstant: new Date(NOW.getTime() - 3 * DAY),
      relayState: "r1",
      expiresAt: new Date(NOW.getTime() - 2 * DAY),
      browserBinding: "b1",
      requestXml: "<x/>",
    });
    await repo.savePending({
      id: "_pending_new",
      federation: "spid",
      idpEntityId: "https://idp.test",
      level: 2,
      issueInstant: NOW,
      relayState: "r2",
      expiresAt: new Date(NOW.getTime() + 60_000),
      browserBinding: "b2",
      requestXml: "<x/>",
    });
    const session = {
      fiscalCode: "RSSMRA80A01H501U",
      name: "Mario Rossi",
      federation: "spid" as const,
      idpEntityId: "https://idp.test",
      level: 2 as const,
      nameId: "n",
      nameQualifier: null,
      sessionIndex: null,
    };
    const ended = await repo.createSession({
      ...session,
      tokenHash: "t1",
      createdAt: new Date(NOW.getTime() - 3 * DAY),
      expiresAt: new Date(NOW.getTime() - 3 * DAY + 8 * 3_600_000),
    });
    await repo.endSession(ended, new Date(NOW.getTime() - 3 * DAY));
    await repo.createSession({
      ...session,
      tokenHash: "t2",
      createdAt: NOW,
      expiresAt: new Date(NOW.getTime() + 60_000),
    });

    const removed = await repo.purge(NOW);
    expect(removed).toEqual({ exchanges: 2, assertions: 1, pending: 1, sessions: 1 });
    const key = (requestId: string) => ({ kind: "login" as const, idpEntityId: "https://idp.test", requestId });
    expect(await repo.exchange(key("_old"))).toBeNull();
    expect(await repo.exchange(key("_unanswered"))).toBeNull();
    expect(await repo.exchange(key("_kept"))).not.toBeNull();
    expect(await repo.exchange(key("_today"))).not.toBeNull();
    expect(await repo.exchange(key("_unanswered_today"))).not.toBeNull();
    // The live assertion is still remembered: a replay is still refused.
    expect(await repo.rememberAssertion("_live", new Date(NOW.getTime() + 60_000))).toBe(false);
    expect(await repo.rememberAssertion("_expired", new Date(NOW.getTime() + 60_000))).toBe(true);
    expect(await repo.liveSession("t2", NOW, new Date(NOW.getTime() - 60_000))).not.toBeNull();
    // A second pass finds nothing more.
    expect(await repo.purge(NOW)).toEqual({ exchanges: 0, assertions: 0, pending: 0, sessions: 0 });
  });

  it("hands a pending login out once, only to the browser that holds its nonce, and not after it expires", async () => {
    await repo.savePending({
      id: "_once",
      federation: "cie",
      idpEntityId: "https://idp.test",
      level: 3,
      issueInstant: NOW,
      relayState: "r3",
      expiresAt: new Date(NOW.getTime() + 60_000),
      browserBinding: "b3",
      requestXml: "<x/>",
    });
    expect(await repo.consumePending("b-other", NOW)).toBeNull();
    expect(await repo.consumePending("b3", new Date(NOW.getTime() + 61_000))).toBeNull();
    const [first, second] = await Promise.all([repo.consumePending("b3", NOW), repo.consumePending("b3", NOW)]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(first ?? second).toMatchObject({ id: "_once", federation: "cie", level: 3, relayState: "r3" });
  });
});
