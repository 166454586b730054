/**
 * `npm run bench:ingest`: vote ingestion throughput on real Postgres.
 *
 * Measures, in one run and on the same machine:
 *   1. a bare Hono endpoint that only parses and validates the vote JSON with zod (baseline for (a));
 *   2. the gateway with (a) one vote per request and (b) batches of 100, load from a second process;
 *   3. (a) again at a fixed 500 requests/s, for its p99 latency;
 *   4. a bare multi-row INSERT of the same votes with postgres.js (baseline for (b)), with the vote_day
 *      rollup triggers on (as ingest runs) and off (what the rollup costs).
 * Prints votes/s, p50/p99 and the two ratios; writes bench/results/ingest-<time>.json.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { openDatabase, runMigrations, tables } from "../src/db/index.js";
import { hashSecret, newToken } from "../src/shared/secrets.js";
import { benchDir, type LoadResult, runLoad, startServer, votesPerSecond } from "./support.js";

const KIOSKS = 2000;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

async function seed(url: string) {
  const handle = await openDatabase({ url, poolSize: 4 });
  await runMigrations(handle);
  const { db } = handle;
  const [entity] = await db.insert(tables.entities).values({ ipaCode: "c_bench", name: "Comune di Bench" }).returning();
  const entityId = (entity as { id: string }).id;
  const [office] = await db.insert(tables.offices).values({ entityId, name: "Sede" }).returning();
  const officeId = (office as { id: string }).id;
  const [desk] = await db.insert(tables.desks).values({ entityId, officeId, name: "Sportello" }).returning();
  const deskId = (desk as { id: string }).id;
  const services = await db
    .insert(tables.services)
    .values(["anagrafe", "tributi", "protocollo", "suap"].map((code) => ({ entityId, deskId, code, name: code })))
    .returning();
  await db.insert(tables.reasons).values({ entityId, code: "tempo-attesa", label: "Tempo di attesa" });
  const tokens = Array.from({ length: KIOSKS }, () => newToken("fk"));
  for (let i = 0; i < KIOSKS; i += 500) {
    await db.insert(tables.kiosks).values(
      tokens.slice(i, i + 500).map((token, j) => ({
        entityId,
        officeId,
        name: `Bench ${i + j}`,
        status: "active",
        tokenHash: hashSecret(token),
      })),
    );
  }
  const kiosks = await db.select({ id: tables.kiosks.id }).from(tables.kiosks);
  await handle.close();
  return {
    entityId,
    officeId,
    deskId,
    tokens,
    kioskIds: kiosks.map((k) => k.id),
    serviceIds: services.map((s) => s.id),
  };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

/** The baseline for (b): the same rows, 100 per INSERT, over a pool as large as the gateway's. */
async function bareInsert(url: string, seeded: Seeded): Promise<{ votesPerSecond: number }> {
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  const deadline = Date.now() + DURATION * 1000;
  let inserted = 0;
  const worker = async (w: number) => {
    while (Date.now() < deadline) {
      const now = Date.now();
      const rows = Array.from({ length: 100 }, (_, i) => ({
        id: randomUUID(),
        entity_id: seeded.entityId,
        kiosk_id: seeded.kioskIds[(w * 100 + i) % seeded.kioskIds.length] as string,
        office_id: seeded.officeId,
        desk_id: null,
        service_id: seeded.serviceIds[i % seeded.serviceIds.length] as string,
        judgment: i % 10 === 0 ? "negative" : "positive",
        cast_at: new Date(now - 60_000 - i * 1000),
        suspected_repeat: false,
      }));
      await sql`insert into vote ${sql(rows)} on conflict (id) do nothing`;
      inserted += rows.length;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: 10 }, (_, w) => worker(w)));
  const seconds = (Date.now() - started) / 1000;
  await sql.end();
  return { votesPerSecond: inserted / seconds };
}

function line(name: string, votes: number, result?: LoadResult): string {
  const latency = result ? `p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms` : "";
  const failures =
    result && result.non2xx + result.errors > 0 ? ` (${result.non2xx + result.errors} failed requests)` : "";
  return `${name.padEnd(42)} ${Math.round(votes).toLocaleString("en").padStart(9)} votes/s   ${latency}${failures}`;
}

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.error(
      "bench:ingest needs DATABASE_URL pointing at a Postgres server (a scratch database is created there).",
    );
    process.exit(2);
  }
  const name = `faccia_bench_${Date.now()}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = Object.assign(new URL(base), { pathname: `/${name}` }).toString();
  try {
    console.error(`seeding ${KIOSKS} kiosks in database ${name}…`);
    const seeded = await seed(url);
    const plan = { tokens: seeded.tokens, serviceIds: seeded.serviceIds, duration: DURATION };

    const bare = await startServer("bare-hono-server.js", {});
    const bareSingle = await runLoad({ ...plan, url: bare.url, votesPerRequest: 1, connections: 32 });
    await bare.stop();

    const gateway = await startServer("gateway-server.js", { DATABASE_URL: url, LOG_LEVEL: "warn" });
    await runLoad({ ...plan, url: gateway.url, votesPerRequest: 1, connections: 32, duration: 3 }); // warm-up
    const single = await runLoad({ ...plan, url: gateway.url, votesPerRequest: 1, connections: 32 });
    const paced = await runLoad({ ...plan, url: gateway.url, votesPerRequest: 1, connections: 16, overallRate: 500 });
    const batched = await runLoad({ ...plan, url: gateway.url, votesPerRequest: 100, connections: 16 });
    await gateway.stop();

    const insert = await bareInsert(url, seeded);
    // The same baseline without the vote_day rollup triggers (drizzle/0002_vote_day.sql): what the rollup costs.
    const triggers = postgres(url, { max: 1, onnotice: () => {} });
    await triggers`alter table vote disable trigger user`;
    const insertWithoutRollup = await bareInsert(url, seeded);
    await triggers`alter table vote enable trigger user`;
    await triggers.end();
    const singleVotes = votesPerSecond(single, 1);
    const batchVotes = votesPerSecond(batched, 100);
    const results = {
      when: new Date().toISOString(),
      durationSeconds: DURATION,
      kiosks: KIOSKS,
      bareHono: { votesPerSecond: votesPerSecond(bareSingle, 1), ...bareSingle },
      gatewaySingle: { votesPerSecond: singleVotes, ...single },
      gatewaySingleAt500: { votesPerSecond: votesPerSecond(paced, 1), ...paced },
      gatewayBatch100: { votesPerSecond: batchVotes, ...batched },
      bareInsert: insert,
      bareInsertWithoutRollup: insertWithoutRollup,
      ratios: {
        singleVsBareHono: singleVotes / votesPerSecond(bareSingle, 1),
        batchVsBareInsert: batchVotes / insert.votesPerSecond,
        rollupCost: 1 - insert.votesPerSecond / insertWithoutRollup.votesPerSecond,
      },
    };
    console.log(line("bare Hono + zod (1 vote/request)", results.bareHono.votesPerSecond, bareSingle));
    console.log(line("gateway, 1 vote/request", singleVotes, single));
    console.log(line("gateway, 1 vote/request at 500 req/s", results.gatewaySingleAt500.votesPerSecond, paced));
    console.log(line("gateway, 100 votes/request", batchVotes, batched));
    console.log(line("bare INSERT, 100 rows/statement", insert.votesPerSecond));
    console.log(line("  the same without the rollup triggers", insertWithoutRollup.votesPerSecond));
    console.log(`ratio single-vote gateway / bare Hono:   ${(results.ratios.singleVsBareHono * 100).toFixed(1)} %`);
    console.log(`ratio batched gateway / bare INSERT:     ${(results.ratios.batchVsBareInsert * 100).toFixed(1)} %`);
    console.log(`rollup triggers' share of the bare INSERT: ${(results.ratios.rollupCost * 100).toFixed(1)} %`);
    const dir = join(benchDir, "..", "..", "bench", "results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `ingest-${results.when.replaceAll(":", "-")}.json`), JSON.stringify(results, null, 2));
  } finally {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

await main();
