import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "../../src/db/index.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";
import { OCTOBER, seedReportVotes } from "../support/report-fixtures.js";
import { BIN, buildOnce, ROOT } from "./build.js";
import { faccia, jsonOf, temporaryDirectory } from "./helpers.js";

describe("faccia report", () => {
  let database: TestDatabase;
  let org: OrgFixture;
  const out = temporaryDirectory("faccia-report-");

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    org = await seedOrganization(database.db);
    await seedReportVotes(database.db, org);
  });
  afterAll(async () => {
    await database?.drop();
    out.remove();
  });

  it("generates October's draft, writes the chosen files, and reports progress on stderr", async () => {
    const run = await faccia(
      [
        "report",
        "generate",
        "--entity",
        "c_test",
        "--period",
        "2026-10",
        "--out",
        out.path,
        "--format",
        "pdf,json",
        "--json",
      ],
      { database },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("c_test 2026-10: rendering PDF");
    const result = jsonOf<{ status: string; period: string; created: boolean; files: string[] }>(run);
    expect(result).toMatchObject({ status: "draft", period: "2026-10", created: true });
    expect(result.files.map((f) => f.slice(out.path.length + 1))).toEqual([
      "faccia-c_test-2026-10-it.pdf",
      "faccia-c_test-2026-10-it.json",
    ]);
    const doc = JSON.parse(readFileSync(join(out.path, "faccia-c_test-2026-10-it.json"), "utf8")) as {
      totals: { total: number };
    };
    expect(doc.totals.total).toBe(OCTOBER.total);
    expect(readFileSync(join(out.path, "faccia-c_test-2026-10-it.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
    expect(existsSync(join(out.path, "faccia-c_test-2026-10-it.csv"))).toBe(false);
  });

  it("lists the reports and refuses a bad period or format with a clear message", async () => {
    const list = await faccia(["report", "list", "--entity", "c_test", "--json"], { database });
    expect(jsonOf<{ items: Array<{ period: string }> }>(list).items.map((r) => r.period)).toEqual(["2026-10"]);
    const bad = await faccia(["report", "generate", "--entity", "c_test", "--period", "2026-13"], { database });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("month 13 is outside 1–12");
    const format = await faccia(
      ["report", "generate", "--entity", "c_test", "--period", "2026-10", "--format", "docx"],
      { database },
    );
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("json, csv, pdf");
  });
});

/** Issue 4: two gateway processes sharing one Postgres make a due draft exactly once. */
/** Last month (YYYY-MM) by the real clock: the scheduler CLI runs at the machine's time. */
const NOW = new Date();
const LAST_MONTH = new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
/** On the 1st before 03:00 in Rome (01:00–02:00 UTC) last month's draft is not due yet. */
const LAST_MONTH_DUE = !(NOW.getUTCDate() === 1 && NOW.getUTCHours() < 3);

describe.runIf(backends.includes("postgres"))("faccia report schedule in two processes at once", () => {
  let database: TestDatabase;
  let org: OrgFixture;
  beforeAll(async () => {
    buildOnce();
    database = await openTestDatabase("postgres");
    org = await seedOrganization(database.db);
    await seedReportVotes(database.db, org);
    // Created on the 2nd of last month: last month is the only one that can be due.
    await database.db.update(tables.entities).set({ createdAt: new Date(`${LAST_MONTH}-02T10:00:00Z`) });
  }, 180_000);
  afterAll(async () => {
    await database?.drop();
  });

  const schedule = () =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, "report", "schedule", "--json"], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", DATABASE_URL: database.url ?? "", LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.once("exit", (code) => resolve({ code, stdout }));
    });

  it("makes last month's draft once", async () => {
    const runs = await Promise.all([schedule(), schedule()]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const made = runs.flatMap((r) => (JSON.parse(r.stdout) as { made: string[] }).made);
    expect(made).toEqual(LAST_MONTH_DUE ? [`c_test/${LAST_MONTH}`] : []);
    const rows = await database.db.select().from(tables.reports).where(eq(tables.reports.entityId, org.entityId));
    expect(rows.map((r) => [r.periodLabel, r.generatedBy])).toEqual(LAST_MONTH_DUE ? [[LAST_MONTH, "scheduler"]] : []);
  });
});
