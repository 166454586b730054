import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { seedOrganization } from "../support/fixtures.js";
import { faccia, jsonOf } from "./helpers.js";

interface ProfileJson {
  entity: string;
  profile: {
    organizationUrl: string;
    contactEmail: string;
    contactPhone: string | null;
    municipality: string | null;
    province: string | null;
  } | null;
}

describe("faccia sp --help", () => {
  it.each([["set"], ["show"]])("documents 'sp %s'", async (command) => {
    const run = await faccia(["sp", command, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: faccia sp ${command}`);
  });
});

describe.each(backends)("faccia sp on %s", (backend) => {
  let database: TestDatabase;
  const run = (...argv: string[]) => faccia(argv, { database });

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await seedOrganization(database.db, "c_sp");
  });
  afterAll(() => database?.drop());

  it("says there is no profile yet, with exit 1", async () => {
    const result = await run("sp", "show", "--entity", "c_sp", "--json");
    expect(result.code).toBe(1);
    expect(jsonOf<ProfileJson>(result)).toEqual({ entity: "c_sp", profile: null });
  });

  it("refuses bad values, listing each, and writes nothing", async () => {
    const result = await run(
      "sp",
      "set",
      "--entity",
      "c_sp",
      "--url",
      "ftp://comune",
      "--email",
      "protocollo",
      "--phone",
      "06 1234",
      "--municipality",
      "Roma",
      "--json",
    );
    expect(result.code).toBe(2);
    for (const field of ["organizationUrl", "contactEmail", "contactPhone", "municipality"]) {
      expect(result.stderr).toContain(field);
    }
    expect((await run("sp", "show", "--entity", "c_sp")).code).toBe(1);
  });

  it("sets the profile the metadata is made of, shows it, and audits the change", async () => {
    const set = await run(
      "sp",
      "set",
      "--entity",
      "c_sp",
      "--url",
      "https://www.comune.sp.it",
      "--email",
      "protocollo@comune.sp.it",
      "--phone",
      "+390612345678",
      "--municipality",
      "h501",
      "--province",
      "rm",
    );
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("Municipality (CIE)  H501");
    const shown = jsonOf<ProfileJson>(await run("sp", "show", "--entity", "c_sp", "--json"));
    expect(shown.profile).toMatchObject({
      organizationUrl: "https://www.comune.sp.it",
      contactEmail: "protocollo@comune.sp.it",
      contactPhone: "+390612345678",
      municipality: "H501",
      province: "RM",
    });
    const verify = await run("audit", "verify", "--json");
    expect(jsonOf<{ ok: boolean; count: number }>(verify)).toMatchObject({ ok: true, count: 1 });
  });
});
