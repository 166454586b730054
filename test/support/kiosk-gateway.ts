import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { tables } from "../../src/db/index.js";
import { type Application, createApplication } from "../../src/main.js";
import { systemClock } from "../../src/shared/clock.js";
import { testConfig } from "./app.js";
import { type Backend, openTestDatabase, type TestDatabase } from "./databases.js";
import { type OrgFixture, seedOrganization } from "./fixtures.js";
import { KIOSK_TEST_ASSETS } from "./kiosk-assets.js";

/**
 * A real gateway on a loopback port for the browser tests: the built kiosk
 * app, the kiosk API and a fresh database (real Postgres when DATABASE_URL is
 * set, as in CI; PGlite otherwise), seeded with a small comune.
 */
export interface KioskGateway {
  url: string;
  database: TestDatabase;
  application: Application;
  org: OrgFixture;
  /** A fresh pairing code for a kiosk at the fixture's desk (Anagrafe and Tributi). */
  pairingCode(name?: string): Promise<string>;
  votes(): Promise<Array<{ id: string; serviceId: string; judgment: string; reasonCode: string | null }>>;
  /** Ids of the votes stored for one kiosk. */
  votesOf(kioskId: string): Promise<string[]>;
  /** What the kiosk last reported in its heartbeat. */
  kioskStatus(kioskId: string): Promise<{ appVersion: string | null; queueDepth: number | null; beatDays: number }>;
  /** A deploy: the gateway stops and starts again on the same port and database, serving `assetsDir`. */
  redeploy(assetsDir: string): Promise<void>;
  close(): Promise<void>;
}

export const browserBackend: Backend = process.env.DATABASE_URL || process.env.CI ? "postgres" : "pglite";

export async function startKioskGateway(
  settings: { thankYouSeconds?: number; idleSeconds?: number } = {},
  env: Record<string, string> = {},
): Promise<KioskGateway> {
  const database = await openTestDatabase(browserBackend);
  const org = await seedOrganization(database.db);
  await database.db
    .update(tables.entities)
    .set({ thankYouSeconds: settings.thankYouSeconds ?? 1, idleSeconds: settings.idleSeconds ?? 20 })
    .where(eq(tables.entities.id, org.entityId));
  const listen = async (assetsDir: string, port: number) => {
    const app = await createApplication(testConfig({ FACCIA_KIOSK_RATE_LIMIT: "600", ...env }), {
      database,
      clock: systemClock,
      migrate: false,
      kioskAssetsDir: assetsDir,
    });
    const listening = serve({ fetch: app.app.fetch, hostname: "127.0.0.1", port }) as Server;
    await new Promise<void>((resolve) => listening.once("listening", () => resolve()));
    return { app, listening };
  };
  const stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await application.close();
  };
  let { app: application, listening: server } = await listen(KIOSK_TEST_ASSETS, 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    get application() {
      return application;
    },
    org,
    async pairingCode(name = `Totem ${Math.random().toString(36).slice(2, 8)}`) {
      const { pairing } = await application.services.kiosks.create(org.entityId, {
        name,
        officeId: org.officeId,
        deskId: org.deskId,
      });
      return pairing.code;
    },
    async votes() {
      return database.db
        .select({
          id: tables.votes.id,
          serviceId: tables.votes.serviceId,
          judgment: tables.votes.judgment,
          reasonCode: tables.reasons.code,
        })
        .from(tables.votes)
        .leftJoin(tables.reasons, eq(tables.reasons.id, tables.votes.reasonId));
    },
    async votesOf(kioskId) {
      const rows = await database.db
        .select({ id: tables.votes.id })
        .from(tables.votes)
        .where(eq(tables.votes.kioskId, kioskId));
      return rows.map((row) => row.id);
    },
    async kioskStatus(kioskId) {
      const [kiosk] = await database.db
        .select({ appVersion: tables.kiosks.appVersion, queueDepth: tables.kiosks.queueDepth })
        .from(tables.kiosks)
        .where(eq(tables.kiosks.id, kioskId));
      const days = await database.db
        .select({ day: tables.kioskHeartbeatDays.day })
        .from(tables.kioskHeartbeatDays)
        .where(eq(tables.kioskHeartbeatDays.kioskId, kioskId));
      return { appVersion: kiosk?.appVersion ?? null, queueDepth: kiosk?.queueDepth ?? null, beatDays: days.length };
    },
    async redeploy(assetsDir) {
      await stop();
      ({ app: application, listening: server } = await listen(assetsDir, port));
    },
    async close() {
      await stop();
      await database.drop();
    },
  };
}
