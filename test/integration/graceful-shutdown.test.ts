import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase, runMigrations, tables } from "../../src/db/index.js";
import { createServices, startGateway } from "../../src/main.js";
import { systemClock } from "../../src/shared/clock.js";
import { silentLogger } from "../../src/shared/logger.js";
import { testConfig } from "../support/app.js";
import { backends, openTestDatabase } from "../support/databases.js";
import { seedOrganization } from "../support/fixtures.js";

interface Target {
  env: Record<string, string>;
  reopen(): Promise<DatabaseHandle>;
  cleanup(): Promise<void>;
  seedHandle: DatabaseHandle;
}

async function prepare(backend: "pglite" | "postgres"): Promise<Target> {
  if (backend === "postgres") {
    const database = await openTestDatabase("postgres");
    const url = database.url as string;
    return {
      env: { DATABASE_URL: url },
      seedHandle: database,
      reopen: () => openDatabase({ url, poolSize: 2 }),
      cleanup: () => database.drop(),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "faccia-shutdown-"));
  const handle = await openDatabase({ dataDir: dir });
  await runMigrations(handle);
  return {
    env: { FACCIA_DATA_DIR: dir },
    seedHandle: handle,
    reopen: () => openDatabase({ dataDir: dir }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

describe.each(backends)("graceful shutdown on %s", (backend) => {
  it("finishes in-flight requests and loses no acknowledged vote", async () => {
    const target = await prepare(backend);
    const org = await seedOrganization(target.seedHandle.db);
    const services = createServices(target.seedHandle, systemClock);
    const tokens: string[] = [];
    for (let k = 0; k < 4; k++) {
      const { pairing } = await services.kiosks.create(org.entityId, { name: `K${k}`, officeId: org.officeId });
      tokens.push((await services.pairKiosk(pairing.code)).token);
    }
    await target.seedHandle.close();

    const config = testConfig({ ...target.env, PORT: "0", FACCIA_KIOSK_RATE_LIMIT: "100000" });
    const gateway = await startGateway(config, silentLogger(), { handleSignals: false });
    const acknowledged: string[] = [];
    const failedStatuses: number[] = [];
    let stop = false;
    const kiosk = async (token: string) => {
      let sequence = 0;
      while (!stop) {
        const batch = Array.from({ length: 5 }, () => ({
          id: randomUUID(),
          serviceId: org.serviceIds.anagrafe,
          judgment: "positive",
          castAt: new Date(Date.now() - 600_000 + sequence++ * 4_000).toISOString(),
        }));
        try {
          const response = await fetch(`${gateway.url}/api/kiosk/v1/votes`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
            body: JSON.stringify({ votes: batch }),
          });
          if (response.status !== 200) {
            failedStatuses.push(response.status);
            break;
          }
          const body = (await response.json()) as { accepted: string[] };
          acknowledged.push(...body.accepted);
        } catch {
          break; // connection refused: the gateway has stopped accepting
        }
      }
    };
    const load = Promise.all(tokens.map(kiosk));
    while (acknowledged.length < 100) await new Promise((resolve) => setImmediate(resolve));
    await gateway.shutdown("test");
    stop = true;
    await load;

    const reopened = await target.reopen();
    try {
      const rows = await reopened.db
        .select({ id: tables.votes.id })
        .from(tables.votes)
        .where(inArray(tables.votes.id, acknowledged));
      expect(acknowledged.length).toBeGreaterThanOrEqual(100);
      // A request in flight when shutdown began still got its answer: none failed half-way.
      expect(failedStatuses).toEqual([]);
      expect(rows).toHaveLength(acknowledged.length);
    } finally {
      await reopened.close();
      await target.cleanup();
    }
  }, 90_000);
});
