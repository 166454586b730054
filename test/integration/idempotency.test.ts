import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase, tables } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";

/**
 * Two gateway instances, each with its own database connection pool, receive
 * the same batch at the same moment (a kiosk retrying after a timeout while
 * its first request is still in flight). Every vote must be stored once.
 */
describe.each(backends)("concurrent duplicate submissions on %s", (backend) => {
  let database: TestDatabase;
  let secondConnection: DatabaseHandle;
  let first: Application;
  let second: Application;
  let org: OrgFixture;
  let token: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    // PGlite is single-connection by design; on Postgres the second instance gets its own pool.
    secondConnection = database.url ? await openDatabase({ url: database.url, poolSize: 4 }) : database;
    first = await testApplication(database);
    second = await testApplication({ ...secondConnection, url: database.url, drop: async () => {} });
    org = await seedOrganization(database.db);
    const { pairing } = await first.services.kiosks.create(org.entityId, { name: "Totem", officeId: org.officeId });
    token = (await first.services.pairKiosk(pairing.code)).token;
  });
  afterAll(async () => {
    if (secondConnection !== database) await secondConnection?.close();
    await database?.drop();
  });

  it("stores each vote once when two connections submit the same batch together", async () => {
    for (let round = 0; round < 10; round++) {
      const batch = Array.from({ length: 50 }, (_, i) => ({
        id: randomUUID(),
        serviceId: i % 2 ? org.serviceIds.anagrafe : org.serviceIds.tributi,
        judgment: i % 7 === 0 ? "negative" : "positive",
        castAt: new Date(Date.now() - 3_600_000 + round * 60_000 + i * 5_000).toISOString(),
      }));
      const responses = await Promise.all(
        [first, second].map((app) => jsonRequest(app.app, "POST", "/api/kiosk/v1/votes", { votes: batch }, token)),
      );
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as {
        accepted: string[];
        duplicates: string[];
        rejected: unknown[];
      }[];
      const ids = batch.map((v) => v.id);
      for (const body of bodies) {
        expect(body.rejected).toEqual([]);
        expect([...body.accepted, ...body.duplicates].sort()).toEqual([...ids].sort());
      }
      // Across both answers, every vote was accepted exactly once.
      expect([...(bodies[0]?.accepted ?? []), ...(bodies[1]?.accepted ?? [])].sort()).toEqual([...ids].sort());
      const rows = await database.db
        .select({ id: tables.votes.id })
        .from(tables.votes)
        .where(inArray(tables.votes.id, ids));
      expect(rows).toHaveLength(ids.length);
    }
  });
});
