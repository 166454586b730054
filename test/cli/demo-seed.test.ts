import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../src/db/index.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { faccia, jsonOf } from "./helpers.js";

const SEED = ["demo", "seed", "--votes", "3000", "--entities", "3", "--months", "3", "--until", "2025-06-01"];

interface SeedJson {
  seed: number;
  since: string;
  until: string;
  entities: { ipaCode: string; created: boolean; offices: number }[];
  votes: { generated: number; inserted: number; skipped: number; positive: number; negative: number };
  servedCounts: number;
  votesPerSecond: number;
}

async function query<T>(database: TestDatabase, text: string): Promise<T[]> {
  return rowsOf<T>(await database.db.execute(text));
}

/** Counts that describe the seeded votes, independent of row order and generated ids of other tables. */
async function distribution(database: TestDatabase) {
  return query<{ judgment: string; reason: string | null; n: number }>(
    database,
    `select v.judgment, r.code as reason, count(*)::int as n from vote v left join reason r on r.id = v.reason_id
     group by 1, 2 order by 1, 2 nulls first`,
  );
}

describe.each(backends)("faccia demo seed on %s", (backend) => {
  let first: TestDatabase;
  let second: TestDatabase;
  let report: SeedJson;

  beforeAll(async () => {
    [first, second] = await Promise.all([openTestDatabase(backend), openTestDatabase(backend)]);
    const run = await faccia([...SEED, "--seed", "42", "--json"], { database: first });
    expect(run.code).toBe(0);
    report = jsonOf<SeedJson>(run);
  });
  afterAll(async () => {
    await first?.drop();
    await second?.drop();
  });

  it("creates the largest comuni with plausible IPA codes and the votes asked for", async () => {
    expect(report.entities.map((e) => e.ipaCode)).toEqual(["c_h501", "c_f205", "c_f839"]);
    expect(report.entities.every((e) => e.created)).toBe(true);
    expect(report).toMatchObject({ seed: 42, since: "2025-03-01", until: "2025-05-31" });
    expect(report.votes).toMatchObject({ generated: 3000, inserted: 3000, skipped: 0 });
    expect(report.votesPerSecond).toBeGreaterThan(0);
    const [row] = await query<{ n: number }>(first, "select count(*)::int as n from vote");
    expect(row?.n).toBe(3000);
  });

  it("gives the same votes for the same seed in another database", async () => {
    const run = await faccia([...SEED, "--seed", "42", "--json"], { database: second });
    expect(jsonOf<SeedJson>(run).votes).toEqual(report.votes);
    expect(await distribution(second)).toEqual(await distribution(first));
    const ids = `select md5(string_agg(id::text, ',' order by id)) as digest from vote`;
    expect(await query(second, ids)).toEqual(await query(first, ids));
  });

  it("adds nothing when run again with the same seed", async () => {
    const run = await faccia([...SEED, "--seed", "42"], { database: first });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("3,000 generated, 0 new, 3,000 already present");
    expect(run.stdout).toMatch(/Rate: 3,000 votes in [\d.]+ s, [\d,]+ votes\/s\./);
    const [row] = await query<{ entities: number; votes: number }>(
      first,
      "select (select count(*)::int from entity) as entities, (select count(*)::int from vote) as votes",
    );
    expect(row).toEqual({ entities: 3, votes: 3000 });
  });

  it("files votes in office hours only: no Sunday, reasons only on negatives", async () => {
    const [row] = await query<{ sundays: number; nights: number; reasons_off_negative: number }>(
      first,
      `select count(*) filter (where extract(dow from cast_at at time zone 'Europe/Rome') = 0)::int as sundays,
              count(*) filter (where (cast_at at time zone 'Europe/Rome')::time not between '08:30' and '17:00:05')::int as nights,
              count(*) filter (where reason_id is not null and judgment <> 'negative')::int as reasons_off_negative
       from vote`,
    );
    expect(row).toEqual({ sundays: 0, nights: 0, reasons_off_negative: 0 });
    const positive = report.votes.positive / report.votes.generated;
    expect(positive).toBeGreaterThanOrEqual(0.75);
    expect(positive).toBeLessThanOrEqual(0.85);
  });

  it("records users served per service and month for a 10–20 % participation rate", async () => {
    const rows = await query<{ votes: number; served: number }>(
      first,
      `select (select count(*)::int from vote v where v.service_id = s.service_id
                 and (v.cast_at at time zone 'Europe/Rome')::date between s.period_start and s.period_end) as votes,
              s.count as served
       from served_count s`,
    );
    expect(rows.length).toBe(report.servedCounts);
    const votes = rows.reduce((sum, r) => sum + r.votes, 0);
    const served = rows.reduce((sum, r) => sum + r.served, 0);
    expect(votes).toBe(3000);
    expect(votes / served).toBeGreaterThan(0.1);
    expect(votes / served).toBeLessThan(0.2);
  });
});
