import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf, tables } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";

type VoteInsert = typeof tables.votes.$inferInsert;

/** The rollup's key and count, as one comparable line. */
const KEY_COLUMNS =
  "entity_id, day, kiosk_id, office_id, desk_id, service_id, channel, judgment, reason_id, suspected_repeat";

/**
 * The daily rollup `vote_day` (drizzle/0002_vote_day.sql) must equal the raw
 * votes at every moment (issue 4: "rollups … if they keep exactness"):
 * whatever path wrote the votes, after updates and deletes, and after the
 * entity moves to another time zone.
 */
describe.each(backends)("vote_day rollup on %s", (backend) => {
  let database: TestDatabase;
  let org: OrgFixture;
  let reasonIds: string[];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    org = await seedOrganization(database.db);
    reasonIds = (
      await database.db
        .select({ id: tables.reasons.id })
        .from(tables.reasons)
        .where(eq(tables.reasons.entityId, org.entityId))
    ).map((r) => r.id);
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** The rollup's rows, without zero counts (a zero row would be a leak of deleted votes). */
  async function rollup(): Promise<string[]> {
    const result = await database.db.execute(
      sql.raw(`select ${KEY_COLUMNS}, count from vote_day where entity_id = '${org.entityId}'`),
    );
    return rowsOf<Record<string, unknown>>(result).map(line).sort();
  }

  /** The same key computed from the votes, in SQL. */
  async function rawFromSql(): Promise<string[]> {
    const result = await database.db.execute(
      sql.raw(`select v.entity_id, (coalesce(v.cast_at_corrected, v.cast_at) at time zone e.timezone)::date as day,
        v.kiosk_id, v.office_id, v.desk_id, v.service_id, v.channel, v.judgment, v.reason_id, v.suspected_repeat,
        count(*) as count
      from vote v join entity e on e.id = v.entity_id where v.entity_id = '${org.entityId}'
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`),
    );
    return rowsOf<Record<string, unknown>>(result).map(line).sort();
  }

  /** The same key computed from the votes in JavaScript, with Intl for the local day. */
  async function rawFromJs(timeZone: string): Promise<string[]> {
    const votes = await database.db.select().from(tables.votes).where(eq(tables.votes.entityId, org.entityId));
    const localDay = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    const counts = new Map<string, number>();
    for (const v of votes) {
      const day = localDay.format(v.castAtCorrected ?? v.castAt);
      const key = [v.entityId, day, v.kioskId, v.officeId, v.deskId, v.serviceId, v.channel, v.judgment, v.reasonId]
        .map((x) => x ?? "∅")
        .concat(String(v.suspectedRepeat))
        .join("|");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].map(([key, count]) => `${key}|${count}`).sort();
  }

  async function expectExact(timeZone: string) {
    const [stored, sqlCounts, jsCounts] = [await rollup(), await rawFromSql(), await rawFromJs(timeZone)];
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).toEqual(sqlCounts);
    expect(stored).toEqual(jsCounts);
  }

  /** Random votes around local midnights, with skew corrections, repeats, reasons and missing desks. */
  const voteArbitrary = fc.record({
    minutes: fc.integer({ min: 0, max: 60 * 24 * 90 }),
    corrected: fc.option(fc.integer({ min: -180, max: 180 }), { nil: null }),
    service: fc.constantFrom<keyof OrgFixture["serviceIds"]>("anagrafe", "tributi", "other"),
    judgment: fc.constantFrom("positive", "sufficient", "negative"),
    reason: fc.option(fc.nat(), { nil: null }),
    withDesk: fc.boolean(),
    repeat: fc.boolean(),
  });

  function toRow(v: VoteArb): VoteInsert {
    const castAt = new Date(Date.parse("2026-09-30T20:00:00Z") + v.minutes * 60_000);
    return {
      id: randomUUID(),
      entityId: org.entityId,
      officeId: org.officeId,
      deskId: v.withDesk ? org.deskId : null,
      serviceId: org.serviceIds[v.service],
      judgment: v.judgment,
      reasonId:
        v.judgment === "negative" && v.reason !== null ? (reasonIds[v.reason % reasonIds.length] ?? null) : null,
      castAt,
      castAtCorrected: v.corrected === null ? null : new Date(castAt.getTime() + v.corrected * 60_000),
      suspectedRepeat: v.repeat,
    };
  }

  it("equals the votes after inserts of any shape, in several statements", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(voteArbitrary, { minLength: 1, maxLength: 60 }), async (votes) => {
        const rows = votes.map(toRow);
        const half = Math.ceil(rows.length / 2);
        await database.db.insert(tables.votes).values(rows.slice(0, half));
        if (rows.length > half) await database.db.insert(tables.votes).values(rows.slice(half));
        // A resent vote is ignored by the gateway's `on conflict do nothing`: it must not count twice.
        await database.db.insert(tables.votes).values(rows.slice(0, 1)).onConflictDoNothing();
        await expectExact("Europe/Rome");
      }),
      { numRuns: 8 },
    );
  });

  it("equals the votes the gateway stored through the kiosk API", async () => {
    const app: Application = await testApplication(database);
    const { pairing } = await app.services.kiosks.create(org.entityId, {
      name: "Totem rollup",
      officeId: org.officeId,
    });
    const token = (await app.services.pairKiosk(pairing.code)).token;
    const now = Date.now();
    const batch = Array.from({ length: 40 }, (_, i) => ({
      id: randomUUID(),
      serviceId: i % 2 === 0 ? org.serviceIds.anagrafe : org.serviceIds.tributi,
      judgment: (["positive", "sufficient", "negative"] as const)[i % 3],
      castAt: new Date(now - (40 - i) * 1_000).toISOString(),
    }));
    // The same batch twice at once (a kiosk retrying): every vote counted once.
    const responses = await Promise.all(
      [1, 2].map(() => jsonRequest(app.app, "POST", "/api/kiosk/v1/votes", { votes: batch }, token)),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { accepted: string[] }[];
    expect(bodies.flatMap((b) => b.accepted)).toHaveLength(batch.length);
    await expectExact("Europe/Rome");
  });

  it("follows updates and deletes, leaving no empty rows", async () => {
    const some = await database.db
      .select({ id: tables.votes.id })
      .from(tables.votes)
      .where(eq(tables.votes.entityId, org.entityId))
      .limit(30);
    const ids = some.map((r) => r.id);
    await database.db
      .update(tables.votes)
      .set({
        suspectedRepeat: sql`not ${tables.votes.suspectedRepeat}`,
        castAtCorrected: new Date("2026-11-15T12:00:00Z"),
      })
      .where(inArray(tables.votes.id, ids.slice(0, 15)));
    await database.db.delete(tables.votes).where(inArray(tables.votes.id, ids.slice(15)));
    await expectExact("Europe/Rome");
    const empty = await database.db.$count(tables.voteDays, sql`${tables.voteDays.count} = 0`);
    expect(empty).toBe(0);
  });

  it("empties with the votes when the vote table is truncated", async () => {
    const snapshot = await database.db.select().from(tables.votes);
    await database.db.execute(sql`truncate vote`);
    expect(await database.db.$count(tables.voteDays)).toBe(0);
    await database.db.insert(tables.votes).values(snapshot);
    await expectExact("Europe/Rome");
  });

  it("recounts the entity's days when it moves to another time zone", async () => {
    // 1 October 04:00 in Rome is still 30 September in New York: this vote must change day.
    await database.db.insert(tables.votes).values({
      ...toRow({
        minutes: 0,
        corrected: null,
        service: "anagrafe",
        judgment: "positive",
        reason: null,
        withDesk: true,
        repeat: false,
      }),
      castAt: new Date("2026-10-01T02:00:00Z"),
    });
    const before = await rollup();
    await database.db
      .update(tables.entities)
      .set({ timezone: "America/New_York" })
      .where(eq(tables.entities.id, org.entityId));
    await expectExact("America/New_York");
    expect(await rollup()).not.toEqual(before);
    await database.db
      .update(tables.entities)
      .set({ timezone: "Europe/Rome" })
      .where(eq(tables.entities.id, org.entityId));
    await expectExact("Europe/Rome");
  });
});

type VoteArb = {
  minutes: number;
  corrected: number | null;
  service: keyof OrgFixture["serviceIds"];
  judgment: string;
  reason: number | null;
  withDesk: boolean;
  repeat: boolean;
};

/** One row as `key|…|count`, nulls as ∅ and dates as YYYY-MM-DD whatever the driver returns. */
function line(row: Record<string, unknown>): string {
  const day = row.day instanceof Date ? row.day.toISOString().slice(0, 10) : String(row.day).slice(0, 10);
  const values = [
    row.entity_id,
    day,
    row.kiosk_id,
    row.office_id,
    row.desk_id,
    row.service_id,
    row.channel,
    row.judgment,
    row.reason_id,
  ];
  const suspected = row.suspected_repeat === true || row.suspected_repeat === "t";
  return `${values.map((x) => x ?? "∅").join("|")}|${suspected}|${Number(row.count)}`;
}
