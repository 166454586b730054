import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";

/**
 * Kiosk tokens are remembered in memory between requests. A revocation made
 * through one gateway process must stop the token on every other process
 * too (they share the database, not memory): Postgres LISTEN/NOTIFY.
 */
describe.runIf(backends.includes("postgres"))("kiosk revocation across gateway processes", () => {
  let database: TestDatabase;
  let other: Awaited<ReturnType<typeof openDatabase>>;
  let revoking: Application;
  let serving: Application;
  let org: OrgFixture;

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    other = await openDatabase({ url: database.url, poolSize: 4 });
    revoking = await testApplication(database);
    serving = await testApplication({ ...other, drop: async () => {} });
    org = await seedOrganization(database.db);
  });
  afterAll(async () => {
    await other?.close();
    await database?.drop();
  });

  const config = (token: string) => jsonRequest(serving.app, "GET", "/api/kiosk/v1/config", undefined, token);

  async function statusWithin(token: string, expected: number, ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    let status = (await config(token)).status;
    while (status !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await config(token)).status;
    }
    return status;
  }

  it("refuses a token on another process once it was revoked here", async () => {
    const { kiosk, pairing } = await revoking.services.kiosks.create(org.entityId, {
      name: "A",
      officeId: org.officeId,
    });
    const { token } = await revoking.services.pairKiosk(pairing.code);
    expect((await config(token)).status).toBe(200); // now remembered by the serving process
    await revoking.services.kiosks.revoke(org.entityId, kiosk.id);
    expect(await statusWithin(token, 401, 5_000)).toBe(401);
  });

  it("refuses the old token on another process once the kiosk was paired again", async () => {
    const { kiosk, pairing } = await revoking.services.kiosks.create(org.entityId, {
      name: "B",
      officeId: org.officeId,
    });
    const first = await revoking.services.pairKiosk(pairing.code);
    expect((await config(first.token)).status).toBe(200);
    const again = await revoking.services.kiosks.pairingCode(org.entityId, kiosk.id);
    const second = await revoking.services.pairKiosk(again.code);
    expect(await statusWithin(first.token, 401, 5_000)).toBe(401);
    expect((await config(second.token)).status).toBe(200);
  });
});
