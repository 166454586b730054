import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase, tables } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { createReportScheduler } from "../../src/reports/index.js";
import { type Clock, fixedClock } from "../../src/shared/clock.js";
import { silentLogger } from "../../src/shared/logger.js";
import { testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";
import { seedReportVotes } from "../support/report-fixtures.js";

function schedulerOf(application: Application, database: DatabaseHandle, clock: Clock) {
  return createReportScheduler({
    reports: application.services.reports,
    repo: application.services.reportRepo,
    clock,
    log: silentLogger(),
    withLock: (key, work) => database.withExclusiveLock(key, work),
  });
}

const reportRows = (database: TestDatabase, entityId: string) =>
  database.db
    .select({ label: tables.reports.periodLabel, by: tables.reports.generatedBy })
    .from(tables.reports)
    .where(eq(tables.reports.entityId, entityId))
    .orderBy(tables.reports.periodLabel);

/**
 * Issue 4: the monthly draft is made on day 1 at 03:00 local time, missed
 * runs are caught up, and gateways sharing one Postgres make it once.
 */
describe.each(backends)("monthly report scheduler (%s)", (backend) => {
  let database: TestDatabase;
  let org: OrgFixture;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    org = await seedOrganization(database.db);
    await seedReportVotes(database.db, org); // the entity dates from January 2025
    await database.db.update(tables.entities).set({ createdAt: new Date("2026-08-20T10:00:00Z") });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("makes nothing before 1 November 03:00 in Rome, then October's draft, and catches up August and September", async () => {
    const early = fixedClock(new Date("2026-09-01T00:59:00Z")); // 02:59 CEST
    const application = await testApplication(database, { clock: early });
    expect(await schedulerOf(application, database, early).tick()).toEqual({ made: [], failed: [] });

    const late = fixedClock(new Date("2026-11-01T02:00:00Z")); // 03:00 CET
    const later = await testApplication(database, { clock: late });
    expect(await schedulerOf(later, database, late).tick()).toEqual({
      made: ["c_test/2026-08", "c_test/2026-09", "c_test/2026-10"],
      failed: [],
    });
    expect(await reportRows(database, org.entityId)).toEqual([
      { label: "2026-08", by: "scheduler" },
      { label: "2026-09", by: "scheduler" },
      { label: "2026-10", by: "scheduler" },
    ]);
    // A second tick finds everything made.
    expect((await schedulerOf(later, database, late).tick()).made).toEqual([]);
  });
});

describe.runIf(backends.includes("postgres"))("monthly report scheduler across gateway processes", () => {
  let database: TestDatabase;
  let others: DatabaseHandle[];
  let org: OrgFixture;

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    others = await Promise.all([1, 2].map(() => openDatabase({ url: database.url, poolSize: 4 })));
    org = await seedOrganization(database.db);
    await seedReportVotes(database.db, org);
    await database.db.update(tables.entities).set({ createdAt: new Date("2026-10-02T10:00:00Z") });
  });
  afterAll(async () => {
    await Promise.all(others?.map((handle) => handle.close()) ?? []);
    await database?.drop();
  });

  it("makes October's draft exactly once when three gateways tick at the same moment", async () => {
    const clock = fixedClock(new Date("2026-11-01T02:00:30Z"));
    const handles = [database, ...others];
    const gateways = await Promise.all(
      handles.map((handle) => testApplication({ ...handle, drop: async () => {} }, { clock })),
    );
    const passes = await Promise.all(
      gateways.map((app, i) => schedulerOf(app, handles[i] as DatabaseHandle, clock).tick()),
    );
    expect(passes.flatMap((pass) => pass.made)).toEqual(["c_test/2026-10"]);
    expect(await reportRows(database, org.entityId)).toEqual([{ label: "2026-10", by: "scheduler" }]);
    const artifacts = await database.db.select({ format: tables.reportArtifacts.format }).from(tables.reportArtifacts);
    expect(artifacts.map((a) => a.format).sort()).toEqual(["csv", "json", "pdf"]);
  });
});
