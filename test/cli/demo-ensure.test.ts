import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoDependencies, demoSecretsDirectory } from "../../src/cli/demo-wiring.js";
import { rowsOf } from "../../src/db/index.js";
import { DEMO_KIOSK_TOKEN_FILE, DEMO_VOTES, ensureDemo } from "../../src/demo/index.js";
import type { Application } from "../../src/main.js";
import { systemClock } from "../../src/shared/clock.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { temporaryDirectory } from "./helpers.js";

const COUNTED = ["entity", "office", "desk", "service", "reason", "kiosk", "access_token", "vote", "served_count"];

describe.each(backends)("embedded demo on %s", (backend) => {
  let database: TestDatabase;
  let application: Application;
  let dataDir: ReturnType<typeof temporaryDirectory>;
  const demo = () => ensureDemo(demoDependencies(database, application.services, dataDir.path, systemClock));
  const counts = async () => {
    const result = await database.db.execute(
      `select ${COUNTED.map((table) => `(select count(*)::int from ${table}) as ${table}`).join(", ")}`,
    );
    return rowsOf<Record<string, number>>(result)[0];
  };
  const kioskConfig = (token: string) => jsonRequest(application.app, "GET", "/api/kiosk/v1/config", undefined, token);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    application = await testApplication(database);
    dataDir = temporaryDirectory();
  });
  afterAll(async () => {
    await application?.close();
    await database?.drop();
    dataDir?.remove();
  });

  it("creates c_demo once: a second run adds no row and reuses the stored kiosk and admin tokens", async () => {
    const first = await demo();
    const afterFirst = await counts();
    const second = await demo();
    expect(await counts()).toEqual(afterFirst);
    expect(afterFirst).toMatchObject({
      entity: 1,
      office: 1,
      desk: 3,
      service: 5,
      reason: 4,
      kiosk: 1,
      access_token: 1,
    });
    expect(afterFirst?.vote).toBe(DEMO_VOTES);
    expect(first).toMatchObject({
      ipaCode: "c_demo",
      name: "Comune di Demo",
      entityCreated: true,
      votesCreated: DEMO_VOTES,
    });
    expect(second).toMatchObject({ entityCreated: false, votesCreated: 0 });
    expect(second.kiosk).toEqual({ ...first.kiosk, paired: false });
    expect(second.admin).toEqual({ ...first.admin, created: false });
  });

  it("keeps a kiosk token that works, in a file only its owner can read", async () => {
    const state = await demo();
    const response = await kioskConfig(state.kiosk.token);
    expect(response.status).toBe(200);
    const profile = (await response.json()) as {
      id: string;
      name: string;
      services: unknown[];
      reasons: { code: string; labels: object }[];
    };
    expect(profile).toMatchObject({ id: state.kiosk.id, name: "Totem ingresso" });
    expect(profile.services).toHaveLength(5);
    expect(profile.reasons.map((r) => r.code)).toEqual(["tempo-attesa", "tempo-erogazione", "cortesia", "chiarezza"]);
    expect(Object.keys(profile.reasons[0]?.labels ?? {}).sort()).toEqual(["de", "en", "fr", "sl"]);
    expect(statSync(state.kiosk.tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(state.admin.tokenFile).mode & 0o777).toBe(0o600);
    const staff = await jsonRequest(
      application.app,
      "GET",
      "/api/v1/entities/c_demo/kiosks",
      undefined,
      state.admin.token,
    );
    expect(staff.status).toBe(200);
  });

  it("pairs the kiosk again when its token file is lost; the old token stops working", async () => {
    const before = await demo();
    rmSync(join(demoSecretsDirectory(dataDir.path), DEMO_KIOSK_TOKEN_FILE));
    const after = await demo();
    expect(after.kiosk).toMatchObject({ id: before.kiosk.id, paired: true });
    expect(after.kiosk.token).not.toBe(before.kiosk.token);
    expect((await kioskConfig(after.kiosk.token)).status).toBe(200);
    expect((await kioskConfig(before.kiosk.token)).status).toBe(401);
    expect((await counts())?.kiosk).toBe(1);
  });

  it("pairs the kiosk again when its token no longer works (kiosk revoked)", async () => {
    const before = await demo();
    await application.services.kiosks.revoke(before.entityId, before.kiosk.id);
    const after = await demo();
    expect(after.kiosk.paired).toBe(true);
    expect((await kioskConfig(after.kiosk.token)).status).toBe(200);
  });

  it("replaces a revoked admin token without piling up tokens", async () => {
    const before = await demo();
    const [record] = (await application.services.accessTokens.list()).filter((t) => t.revokedAt === null);
    await application.services.accessTokens.revoke(record?.id ?? "");
    const after = await demo();
    expect(after.admin.created).toBe(true);
    expect(after.admin.token).not.toBe(before.admin.token);
    const active = (await application.services.accessTokens.list()).filter((t) => t.revokedAt === null);
    expect(active).toHaveLength(1);
  });
});
