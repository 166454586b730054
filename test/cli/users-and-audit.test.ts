import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { seedOrganization } from "../support/fixtures.js";
import { faccia, jsonOf } from "./helpers.js";

interface UserJson {
  outcome: string;
  previousRole: string | null;
  user: { id: string; entity: string; fiscalCode: string; name: string; role: string; createdAt: string };
}
interface VerdictJson {
  ok: boolean;
  count: number;
  head?: { seq: number; hash: string } | null;
  problem?: { seq: number; kind: string; detail: string };
}

describe("faccia users and faccia audit --help", () => {
  it.each([
    ["users", "add"],
    ["users", "list"],
    ["audit", "verify"],
  ])("documents '%s %s' with a description and examples", async (...words) => {
    const run = await faccia([...words, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: faccia ${words.join(" ")}`);
    expect(run.stdout).toContain(`Examples:\n  $ faccia ${words.join(" ")}`);
    expect(run.stderr).toBe("");
  });

  it.each([
    [
      "a malformed fiscal code",
      ["users", "add", "--fiscal-code", "RSSMRA80A01H501X", "--role", "admin", "--entity", "c_x"],
    ],
    ["a legal person's code", ["users", "add", "--fiscal-code", "01234567890", "--role", "admin", "--entity", "c_x"]],
    [
      "a role outside the list",
      ["users", "add", "--fiscal-code", "RSSMRA80A01H501U", "--role", "mayor", "--entity", "c_x"],
    ],
    ["a missing --entity", ["users", "list"]],
    ["a malformed anchor", ["audit", "verify", "--anchor", "12:abc"]],
  ])("exits 2 on %s, with one JSON error document", async (_label, argv) => {
    const run = await faccia([...argv, "--json"]);
    expect(run.code).toBe(2);
    expect(jsonOf<{ error: { code: string } }>(run).error.code).toBe("CLI_USAGE");
    expect(run.stderr).not.toBe("");
  });

  it("says what is wrong with a fiscal code", async () => {
    const run = await faccia([
      "users",
      "add",
      "--fiscal-code",
      "RSSMRA80A01H501X",
      "--role",
      "admin",
      "--entity",
      "c_x",
    ]);
    expect(run.stderr).toContain("wrong check character: expected U");
  });
});

describe.each(backends)("faccia users and faccia audit on %s", (backend) => {
  let database: TestDatabase;
  const run = (...argv: string[]) => faccia(argv, { database });
  const add = (...argv: string[]) => run("users", "add", "--entity", "c_users", ...argv);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await seedOrganization(database.db, "c_users");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("says an empty log is intact", async () => {
    const result = await run("audit", "verify", "--json");
    expect(result.code).toBe(0);
    expect(jsonOf<VerdictJson>(result)).toEqual({ ok: true, count: 0, head: null });
  });

  it("bootstraps the first admin from a certificate-style fiscal code, and audits it", async () => {
    const result = await add(
      "--fiscal-code",
      "tinit-rssmra80a01h501u",
      "--role",
      "admin",
      "--name",
      "Mario Rossi",
      "--json",
    );
    expect(result.code).toBe(0);
    const body = jsonOf<UserJson>(result);
    expect(body).toMatchObject({
      outcome: "added",
      previousRole: null,
      user: { entity: "c_users", fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi", role: "admin" },
    });
  });

  it("changes an existing user's role, says what it was, and audits the change", async () => {
    const result = await add("--fiscal-code", "RSSMRA80A01H501U", "--role", "secretary");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("RSSMRA80A01H501U (Mario Rossi) of c_users is now secretary (was admin).");
    const again = jsonOf<UserJson>(await add("--fiscal-code", "RSSMRA80A01H501U", "--role", "secretary", "--json"));
    expect(again).toMatchObject({ outcome: "unchanged", user: { role: "secretary", name: "Mario Rossi" } });
  });

  it("adds a viewer named by its fiscal code when no name is given", async () => {
    const result = await add("--fiscal-code", "RSSMRA85T10A562S", "--role", "viewer");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Added RSSMRA85T10A562S (RSSMRA85T10A562S) to c_users as viewer.\n");
  });

  it("exits 1 when no entity has the IPA code", async () => {
    const result = await run(
      "users",
      "add",
      "--fiscal-code",
      "RSSMRA80A01H501U",
      "--role",
      "admin",
      "--entity",
      "c_none",
      "--json",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no entity with IPA code c_none");
    expect(jsonOf<{ error: { code: string } }>(result).error.code).toBe("RESOURCE_NOT_FOUND");
    expect((await run("users", "list", "--entity", "c_none")).code).toBe(1);
  });

  it("lists the users as one JSON document and as a table", async () => {
    const listed = jsonOf<{ entity: string; users: UserJson["user"][] }>(
      await run("users", "list", "--entity", "c_users", "--json"),
    );
    expect(listed.entity).toBe("c_users");
    expect(listed.users.map((u) => [u.fiscalCode, u.role])).toEqual([
      ["RSSMRA80A01H501U", "secretary"],
      ["RSSMRA85T10A562S", "viewer"],
    ]);
    const table = await run("users", "list", "--entity", "c_users");
    expect(table.stdout.split("\n")[0]).toMatch(/^FISCAL CODE\s+ROLE\s+ADDED\s+NAME$/);
    expect(table.stdout).toContain("Mario Rossi");
  });

  it("verifies the log the commands wrote: one event per change, actor cli", async () => {
    const result = await run("audit", "verify", "--json");
    expect(result.code).toBe(0);
    const verdict = jsonOf<VerdictJson>(result);
    expect(verdict).toMatchObject({ ok: true, count: 3, head: { seq: 3 } });
    const rows = await database.db.query.auditEvents.findMany({ orderBy: (t, { asc }) => [asc(t.seq)] });
    expect(rows.map((row) => [row.actor, row.action, row.subject, row.details])).toEqual([
      ["cli", "user_add", "RSSMRA80A01H501U", { role: "admin" }],
      ["cli", "user_role_change", "RSSMRA80A01H501U", { from: "admin", to: "secretary" }],
      ["cli", "user_add", "RSSMRA85T10A562S", { role: "viewer" }],
    ]);
    const human = await run("audit", "verify");
    expect(human.stdout).toContain(`Head: 3:${verdict.head?.hash}`);
  });

  /** What a table owner can do by switching the append-only triggers off. */
  async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
    await database.db.execute(sql`alter table audit_event disable trigger user`);
    await database.db.execute(statement);
    await database.db.execute(sql`alter table audit_event enable trigger user`);
  }

  it("finds a deleted last row only against the head recorded with --anchor", async () => {
    const head = jsonOf<VerdictJson>(await run("audit", "verify", "--json")).head;
    const anchor = `${head?.seq}:${head?.hash}`;
    expect((await run("audit", "verify", "--anchor", anchor)).code).toBe(0);
    await tamper(sql`delete from audit_event where seq = 3`);

    expect((await run("audit", "verify")).code).toBe(0);
    const anchored = await run("audit", "verify", "--anchor", anchor, "--json");
    expect(anchored.code).toBe(1);
    expect(jsonOf<VerdictJson>(anchored)).toMatchObject({ ok: false, count: 2, problem: { seq: 3, kind: "missing" } });
  });

  it("exits 1 naming the first altered row", async () => {
    await tamper(sql`update audit_event set actor = 'RSSMRA85T10A562S' where seq = 2`);

    const json = await run("audit", "verify", "--json");
    expect(json.code).toBe(1);
    expect(jsonOf<VerdictJson>(json)).toMatchObject({ ok: false, count: 1, problem: { seq: 2, kind: "altered" } });
    const human = await run("audit", "verify");
    expect(human.code).toBe(1);
    expect(human.stdout).toContain("Audit log NOT intact: row 2 altered");
  });
});

describe.each(backends)("faccia users remove on %s", (backend) => {
  let database: TestDatabase;
  const run = (...argv: string[]) => faccia(argv, { database });

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await seedOrganization(database.db, "c_remove");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("takes the role away, audits it with the role it had, and exits 1 for someone who is not staff", async () => {
    const add = ["users", "add", "--fiscal-code", "RSSMRA80A01H501U", "--role", "secretary", "--entity", "c_remove"];
    expect((await run(...add)).code).toBe(0);
    const removed = await run("users", "remove", "--fiscal-code", "tinit-rssmra80a01h501u", "--entity", "c_remove");
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain("Removed RSSMRA80A01H501U from c_remove");
    const listed = jsonOf<{ users: unknown[] }>(await run("users", "list", "--entity", "c_remove", "--json"));
    expect(listed.users).toEqual([]);
    const again = await run("users", "remove", "--fiscal-code", "RSSMRA80A01H501U", "--entity", "c_remove", "--json");
    expect(again.code).toBe(1);
    expect(jsonOf<{ error: { code: string } }>(again).error.code).toBe("RESOURCE_NOT_FOUND");
    const rows = await database.db.query.auditEvents.findMany({ orderBy: (t, { asc }) => [asc(t.seq)] });
    expect(rows.map((row) => [row.action, row.subject, row.details])).toEqual([
      ["user_add", "RSSMRA80A01H501U", { role: "secretary" }],
      ["user_remove", "RSSMRA80A01H501U", { role: "secretary" }],
    ]);
  });
});
