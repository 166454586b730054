/** `bench/pec.ts` (a): receipts parsed, verified, correlated and persisted; the parse-only and verify-only rates. */
import { createHash, randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { and, count, eq } from "drizzle-orm";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase, runMigrations, tables } from "../src/db/index.js";
import { createServices } from "../src/main.js";
import { classifyPecMessage, daticertProblems, type PecMarkers } from "../src/pec/domain/pec-message.js";
import {
  buildReceipt,
  createMailboxSync,
  type DispatchRepository,
  type DispatchTracker,
  type MailboxReader,
  type PecBox,
  parseDaticert,
  verifyPecSignature,
} from "../src/pec/index.js";
import { canonicalLineEndings } from "../src/pec/mime/decode.js";
import { headerValue, messageIdOf } from "../src/pec/mime/headers.js";
import { decodedBody, type MimePart, parseMimeTree, partsOf } from "../src/pec/mime/mime-tree.js";
import { createIdentificativi } from "../src/pec/sandbox/identificativo.js";
import { systemClock } from "../src/shared/clock.js";
import { silentLogger } from "../src/shared/logger.js";
import type { DevCertificateSet, Signer } from "../src/signature/index.js";
import {
  ADDRESSES,
  BOX,
  check,
  IPA,
  inParallel,
  log,
  median,
  PROVIDER,
  RECEIPTS,
  RECIPIENTS,
  REPEATS,
  round,
  SAMPLE,
} from "./pec-support.js";

interface BenchDatabase {
  handle: DatabaseHandle;
  kind: "postgres" | "pglite";
  drop(): Promise<void>;
}

/** A scratch database on the Postgres server of DATABASE_URL, else in-memory PGlite; migrated. */
async function openBenchDatabase(): Promise<BenchDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    log("DATABASE_URL is not set: (a) runs on in-memory PGlite, but its target applies to Postgres.");
    const handle = await openDatabase({ dataDir: "memory://" });
    await runMigrations(handle);
    return { handle, kind: "pglite", drop: () => handle.close() };
  }
  const name = `faccia_bench_pec_${Date.now()}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const handle = await openDatabase({ url: Object.assign(new URL(base), { pathname: `/${name}` }).toString() });
  await runMigrations(handle);
  log(`database ${name} on ${new URL(base).host}`);
  const drop = async () => {
    await handle.close();
    const cleanup = postgres(base, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
    await cleanup.end();
  };
  return { handle, kind: "postgres", drop };
}

// ---- (a) receipts --------------------------------------------------------------------------------

type Services = ReturnType<typeof createServices>;

/** Signed reports stored as a signed report is (small files: only the receipts are measured). */
async function seedReports(handle: DatabaseHandle, entityId: string, reports: number): Promise<string[]> {
  const ids: string[] = [];
  const files = ["pdf.p7m", "json.p7m", "csv"].map((format) => {
    const content = new Uint8Array(randomBytes(1024));
    return { format, content, sha256: createHash("sha256").update(content).digest("hex"), bytes: content.length };
  });
  for (let start = 0; start < reports; start += 500) {
    const rows = Array.from({ length: Math.min(500, reports - start) }, (_, i) => {
      const day = new Date(Date.UTC(2000, 0, 1 + start + i)).toISOString().slice(0, 10);
      const at = new Date();
      return {
        entityId,
        periodKind: "custom",
        periodLabel: `${day}..${day}`,
        firstDay: day,
        lastDay: day,
        status: "signed",
        generatedAt: at,
        generatedBy: "bench",
        signedAt: at,
        signedBy: "CN=Comune di Bench",
        signatureSource: "gateway",
      };
    });
    const inserted = await handle.db.insert(tables.reports).values(rows).returning({ id: tables.reports.id });
    const artifacts = inserted.flatMap(({ id }) => files.map((file) => ({ reportId: id, ...file })));
    await handle.db.insert(tables.reportArtifacts).values(artifacts);
    ids.push(...inserted.map((row) => row.id));
  }
  return ids;
}

/** An entity with its box and 3 recipients, and `dispatches` reports dispatched and marked submitted. */
async function seedDispatches(handle: DatabaseHandle, services: Services, dispatches: number) {
  const [entity] = await handle.db
    .insert(tables.entities)
    .values({ ipaCode: IPA, name: "Comune di Bench" })
    .returning({ id: tables.entities.id });
  const entityId = (entity as { id: string }).id;
  await services.pecSettings.setBox(entityId, BOX);
  for (const recipient of RECIPIENTS) await services.pecSettings.addRecipient(entityId, recipient);
  const reportIds = await seedReports(handle, entityId, dispatches);
  const queued = await inParallel(reportIds, 8, (id) => services.dispatching.dispatchReport(IPA, id, "bench"));
  await inParallel(queued, 8, (one) => services.dispatchRepo.markSubmitted(one.id, "250 Ok", systemClock.now()));
  const rows = await services.dispatchRepo.dispatches(entityId);
  const box = await services.pecSettings.box(entityId);
  check(rows.length === dispatches && box !== null, "every dispatch and the box were stored");
  return { entityId, box: box as PecBox, rows };
}

/** The provider's receipts for each dispatch: the accettazione, then a consegna per recipient. */
async function buildReceipts(rows: ReadonlyArray<{ messageId: string; subject: string }>, signer: Signer) {
  const nextIdentificativo = createIdentificativi(PROVIDER);
  // Whole seconds, as daticert and the CMS signing-time carry them.
  const at = new Date(Math.ceil(Date.now() / 1000) * 1000);
  const delivered = new Date(at.getTime() + 1000);
  const receipts: Uint8Array[] = [];
  for (const row of rows) {
    const original = { messageId: row.messageId, from: BOX, to: ADDRESSES, subject: row.subject };
    const common = { original, provider: PROVIDER, identificativo: nextIdentificativo(at) };
    receipts.push(await buildReceipt({ ...common, kind: "accettazione", at }, signer));
    for (const recipient of ADDRESSES) {
      const consegna = { kind: "avvenuta-consegna", recipient, deliveryType: "sintetica", at: delivered } as const;
      receipts.push(await buildReceipt({ ...common, ...consegna }, signer));
    }
  }
  return receipts;
}

interface Extracted {
  readonly p7s: Uint8Array;
  readonly content: Uint8Array;
  readonly fallbackTime: Date | null;
}

/**
 * What `parsePecMessage` does but the signature check (parse-pec-message.ts `readMessage`): the MIME
 * walk, markers, daticert, classification and references, and the signed parts extracted.
 */
function parseOnly(raw: Uint8Array): Extracted {
  const { root } = parseMimeTree(raw);
  const marker = (name: string) => headerValue(root.headers, name)?.trim().toLowerCase() || null;
  const markers: PecMarkers = {
    ricevuta: marker("x-ricevuta"),
    trasporto: marker("x-trasporto"),
    verificaSicurezza: marker("x-verificasicurezza"),
    tipoRicevuta: marker("x-tiporicevuta"),
  };
  const parts = [...partsOf(root)];
  const part = parts.find((one) => one.fileName?.toLowerCase() === "daticert.xml");
  const parsed = part === undefined ? null : parseDaticert(decodedBody(part));
  const daticert = parsed?.ok ? parsed.daticert : null;
  const classified = classifyPecMessage(markers, daticert);
  const riferimento = messageIdOf(headerValue(root.headers, "x-riferimento-message-id"));
  messageIdOf(headerValue(root.headers, "message-id"));
  const problems = daticert === null ? [] : daticertProblems(daticert, riferimento);
  parts.find((one) => one.contentType === "message/rfc822" && one.fileName?.toLowerCase() === "postacert.eml");
  const [content, ...rest] = root.children;
  const p7s = rest.find((one: MimePart) => /^application\/(x-)?pkcs7-signature$/.test(one.contentType));
  check(content !== undefined && p7s !== undefined && daticert !== null, "a receipt has its signed parts");
  check(classified.problems.length === 0 && problems.length === 0, "a receipt parses without problems");
  const fallbackTime = daticert?.date.instant ?? null;
  return { p7s: decodedBody(p7s as MimePart), content: canonicalLineEndings((content as MimePart).raw), fallbackTime };
}

type SampleMeasure = "parseOnly" | "verifyOnly";

/**
 * Receipts/s over the sample, one thread, parse only and verify only in turn: a warm-up round that
 * also checks every signature, then REPEATS rounds.
 */
function measureSample(sample: readonly Uint8Array[], trust: readonly Uint8Array[]) {
  const extracted = sample.map(parseOnly);
  const verify = (one: Extracted) =>
    verifyPecSignature(one.p7s, one.content, { trust, fallbackTime: one.fallbackTime });
  // verify-pec-signature.ts verifies a second time when the signing-time differs from daticert's.
  const verifiedTwice = extracted.filter((one) => {
    const signature = verify(one);
    check(signature.valid && signature.trusted, "every receipt's signature verifies against the dev CA");
    return signature.signingTime?.getTime() !== one.fallbackTime?.getTime();
  }).length;
  const work: Record<SampleMeasure, () => void> = {
    parseOnly: () => {
      for (const raw of sample) parseOnly(raw);
    },
    verifyOnly: () => {
      for (const one of extracted) verify(one);
    },
  };
  const rates: Record<SampleMeasure, number[]> = { parseOnly: [], verifyOnly: [] };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const measure of Object.keys(work) as SampleMeasure[]) {
      const started = performance.now();
      work[measure]();
      rates[measure].push(round(sample.length / ((performance.now() - started) / 1000)));
    }
  }
  const medians = { parseOnly: median(rates.parseOnly), verifyOnly: median(rates.verifyOnly) };
  return { size: sample.length, rounds: rates, median: medians, verifiedTwice };
}

/** An IMAP-like inbox in memory: UID n is the n-th receipt; nothing is removed. */
function memoryMailbox(receipts: readonly Uint8Array[]): MailboxReader & { processed(): number } {
  let processed = 0;
  return {
    description: "memory://INBOX",
    async fetch(cursor, limit) {
      const after = cursor?.uidValidity === "1" ? cursor.uid : 0;
      return receipts.slice(after, after + limit).map((raw, i) => {
        const uid = after + i + 1;
        return { key: `imap:1:${uid}`, position: { uidValidity: "1", uid }, raw, receivedAt: null };
      });
    },
    async markProcessed(keys) {
      processed += keys.length;
    },
    waitForChange: async () => undefined,
    close: async () => undefined,
    processed: () => processed,
  };
}

/** The repository and tracker as the sync uses them, timing the database steps. */
function timedPorts(repo: DispatchRepository, tracker: DispatchTracker) {
  const spent = { keys: 0, store: 0, refresh: 0 };
  async function time<T>(step: keyof typeof spent, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      spent[step] += performance.now() - started;
    }
  }
  const timedRepo: DispatchRepository = {
    ...repo,
    keys: (...args) => time("keys", () => repo.keys(...args)),
    storeReceived: (...args) => time("store", () => repo.storeReceived(...args)),
  };
  const timedTracker: DispatchTracker = {
    ...tracker,
    refreshMany: (ids) => time("refresh", () => tracker.refreshMany(ids)),
  };
  return { spent, repo: timedRepo, tracker: timedTracker };
}

interface Seeded {
  entityId: string;
  box: PecBox;
  rows: ReadonlyArray<{ messageId: string; subject: string; status: string }>;
  trust: Uint8Array[];
}

/** The full pipeline, timed, then the sanity checks on what it stored. */
async function measureSync(handle: DatabaseHandle, services: Services, seeded: Seeded, receipts: Uint8Array[]) {
  const ports = timedPorts(services.dispatchRepo, services.dispatchTracker);
  const trust = seeded.trust;
  const sync = createMailboxSync({
    ...ports,
    settings: services.pecSettings,
    trust,
    clock: systemClock,
    log: silentLogger(),
  });
  const mailbox = memoryMailbox(receipts);
  const started = performance.now();
  const result = await sync.syncBox(seeded.box, mailbox);
  const ms = performance.now() - started;
  check(result.read === receipts.length && mailbox.processed() === receipts.length, "every receipt was read");
  check(result.receipts === receipts.length, "every receipt was correlated to its dispatch");
  check(result.dispatches === seeded.rows.length, "every dispatch was touched");
  const { pecMessages } = tables;
  const [verified] = await handle.db
    .select({ n: count() })
    .from(pecMessages)
    .where(and(eq(pecMessages.direction, "received"), eq(pecMessages.verified, true)));
  check(verified?.n === receipts.length, "every stored receipt is verified");
  const after = await services.dispatchRepo.dispatches(seeded.entityId);
  check(
    after.every((row) => row.status === "delivered"),
    "every dispatch is delivered",
  );
  const { keys, store, refresh } = ports.spent;
  // What is not the database: fetching from memory, SHA-256, parse, verify, correlate.
  const inProcess = ms - keys - store - refresh;
  const rate = (spent: number) => round(receipts.length / (spent / 1000));
  const stepsMs = { inProcess: round(inProcess), keys: round(keys), store: round(store), refresh: round(refresh) };
  return {
    ms: round(ms),
    receiptsPerSecond: rate(ms),
    inProcessPerSecond: rate(inProcess),
    databasePerSecond: rate(keys + store + refresh),
    stepsMs,
  };
}

export async function benchReceipts(certificates: DevCertificateSet, signer: Signer) {
  const database = await openBenchDatabase();
  try {
    const services = createServices(database.handle, systemClock);
    const dispatches = Math.max(1, Math.round(RECEIPTS / (1 + ADDRESSES.length)));
    log(`(a) seeding ${dispatches} dispatched reports…`);
    const seeded = {
      ...(await seedDispatches(database.handle, services, dispatches)),
      trust: [certificates.ca.certificate],
    };
    log(`(a) signing ${dispatches * (1 + ADDRESSES.length)} receipts (not timed)…`);
    const receipts = await buildReceipts(seeded.rows, signer);
    log(`(a) parse and verify, ${Math.min(SAMPLE, receipts.length)} receipts × ${REPEATS} rounds…`);
    const sample = measureSample(receipts.slice(0, SAMPLE), seeded.trust);
    log(`(a) full pipeline, ${receipts.length} receipts…`);
    const pipeline = await measureSync(database.handle, services, seeded, receipts);
    const bytes = receipts.reduce((sum, raw) => sum + raw.length, 0);
    return {
      database: database.kind,
      dispatches,
      receipts: receipts.length,
      meanReceiptBytes: round(bytes / receipts.length),
      pipeline,
      sample,
    };
  } finally {
    await database.drop();
  }
}
