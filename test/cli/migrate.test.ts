import { afterEach, describe, expect, it } from "vitest";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { faccia, jsonOf } from "./helpers.js";

describe.each(backends)("faccia migrate on %s", (backend) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it("reports pending migrations with exit 1, applies them, then reports up to date", async () => {
    database = await openTestDatabase(backend, { migrate: false });
    const pending = await faccia(["migrate", "--status", "--json"], { database });
    expect(pending.code).toBe(1);
    const before = jsonOf<{ applied: number; total: number; pending: number; upToDate: boolean }>(pending);
    expect(before).toMatchObject({ applied: 0, upToDate: false });
    expect(before.pending).toBe(before.total);

    const applied = await faccia(["migrate", "--json"], { database });
    expect(applied.code).toBe(0);
    expect(jsonOf(applied)).toEqual({
      appliedNow: before.total,
      applied: before.total,
      total: before.total,
      pending: 0,
    });

    const status = await faccia(["migrate", "--status"], { database });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Up to date: ${before.total}/${before.total}`);
    expect((await faccia(["migrate"], { database })).stdout).toContain("Already up to date");
  });

  it("refuses other commands on an unmigrated database, pointing at 'faccia migrate'", async () => {
    database = await openTestDatabase(backend, { migrate: false });
    const result = await faccia(["tokens", "list"], { database });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("run 'faccia migrate' first");
  });
});
