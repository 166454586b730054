import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Application } from "../../src/main.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { seedOrganization } from "../support/fixtures.js";
import { faccia, jsonOf } from "./helpers.js";

describe.each(backends)("kiosk and token commands on %s", (backend) => {
  let database: TestDatabase;
  let application: Application;
  const run = (...argv: string[]) => faccia(argv, { database });

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    application = await testApplication(database);
    await seedOrganization(database.db, "c_test");
  });
  afterAll(async () => {
    await application?.close();
    await database?.drop();
  });

  describe("kiosk pair-code", () => {
    it("prints a code, as one JSON document, that POST /api/kiosk/v1/pair accepts", async () => {
      const result = await run("kiosk", "pair-code", "--entity", "c_test", "--name", "Totem CLI", "--json");
      expect(result.code).toBe(0);
      const body = jsonOf<{ code: string; expiresAt: string; kioskId: string }>(result);
      expect(Object.keys(body).sort()).toEqual(["code", "expiresAt", "kioskId"]);
      expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
      const paired = await jsonRequest(application.app, "POST", "/api/kiosk/v1/pair", { code: body.code });
      expect(paired.status).toBe(200);
      expect(((await paired.json()) as { kiosk: { id: string } }).kiosk.id).toBe(body.kioskId);
    });

    it("hands out a new code for the same kiosk and warns that it is already paired", async () => {
      const result = await run("kiosk", "pair-code", "--entity", "C_TEST", "--name", "Totem CLI");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Pairing code for kiosk "Totem CLI" of c_test: [0-9A-Z]{4}-[0-9A-Z]{4}/);
      expect(result.stdout).toContain("already paired");
    });

    it("exits 1 when no entity has the IPA code", async () => {
      const result = await run("kiosk", "pair-code", "--entity", "c_zzzz", "--name", "Totem", "--json");
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("no entity with IPA code c_zzzz");
      expect(jsonOf<{ error: { code: string } }>(result).error.code).toBe("RESOURCE_NOT_FOUND");
    });
  });

  describe("tokens", () => {
    const kiosksOf = (token: string) =>
      jsonRequest(application.app, "GET", "/api/v1/entities/c_test/kiosks", undefined, token);

    it("creates a token the staff API accepts, printed once", async () => {
      const result = await run(
        "tokens",
        "create",
        "--entity",
        "c_test",
        "--role",
        "operator",
        "--name",
        "Sportello URP",
      );
      expect(result.code).toBe(0);
      const token = result.stdout.trim();
      expect(token).toMatch(/^fp_[\w-]{40,}$/);
      expect(result.stderr).toContain("cannot be shown again");
      expect((await kiosksOf(token)).status).toBe(200);
    });

    it("lists tokens without their secrets, and revokes one for good", async () => {
      const created = jsonOf<{ id: string; token: string; entity: string; role: string }>(
        await run("tokens", "create", "--entity", "c_test", "--role", "admin", "--expires-in-days", "7", "--json"),
      );
      expect(created).toMatchObject({ entity: "c_test", role: "admin" });
      const listed = await run("tokens", "list", "--entity", "c_test", "--json");
      const { tokens } = jsonOf<{ tokens: { id: string; status: string }[] }>(listed);
      expect(tokens).toContainEqual(expect.objectContaining({ id: created.id, status: "active" }));
      expect(listed.stdout).not.toContain(created.token);

      expect((await run("tokens", "revoke", created.id)).code).toBe(0);
      expect((await kiosksOf(created.token)).status).toBe(401);
      const again = await run("tokens", "revoke", created.id, "--json");
      expect(again.code).toBe(1);
      expect(jsonOf<{ error: { code: string } }>(again).error.code).toBe("RESOURCE_NOT_FOUND");
    });

    it("makes a platform-wide token only with --all-entities", async () => {
      const created = jsonOf<{ entity: string | null; token: string }>(
        await run("tokens", "create", "--all-entities", "--role", "operator", "--json"),
      );
      expect(created.entity).toBeNull();
      expect((await kiosksOf(created.token)).status).toBe(200);
    });

    it("prints a table for people", async () => {
      const result = await run("tokens", "list");
      expect(result.code).toBe(0);
      expect(result.stdout.split("\n")[0]).toMatch(/^ID\s+STATUS\s+ROLE\s+ENTITY\s+LAST USED\s+NAME$/);
      expect(result.stdout).toContain("Sportello URP");
    });
  });
});
