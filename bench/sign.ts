/**
 * `npm run bench:sign`: CAdES signing and verification against the floor (issue 5, "Benchmark").
 *
 * For an RSA 2048 and a P-256 seal from `generateDevCertificates`, and payloads of 1 KiB, 1 MiB and
 * 20 MiB, measures in the same run, interleaved round by round after warm-up:
 *   - floor: node:crypto SHA-256 of the payload plus one raw signature with the same key (crypto.sign);
 *   - sign, chunked: `signCadesChunked`, the form `faccia sign` writes with writev (no copy of the content);
 *   - sign, contiguous: `signCades`, which joins the chunks into one buffer (one copy of the content);
 *   - verify: `verifySignature` of the .p7m against the dev CA;
 *   - openssl: `openssl cms -sign -binary -nodetach -cades -md sha256 -outform DER`, one process per file
 *     (its time includes process start, key loading and file I/O; `openssl version` alone is printed too).
 * Target: sign ≤ 1.3 × floor at 1 MiB and 20 MiB. Prints medians and writes bench/results/sign-<time>.json.
 * Not a test: the only checks are that each signature verifies and holds the payload.
 */
import { spawnSync } from "node:child_process";
import { createHash, createPrivateKey, type KeyObject, randomBytes, sign as rawSign } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { signCadesChunked } from "../src/signature/cades/index.js";
import { derToPem } from "../src/signature/certificates/pem.js";
import {
  type DevCertificateSet,
  generateDevCertificates,
  type KeyAlgorithm,
  Pkcs12Signer,
  signCades,
  verifySignature,
} from "../src/signature/index.js";
import { benchDir } from "./support.js";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 20);
const OPENSSL_REPEATS = Number(process.env.BENCH_OPENSSL_REPEATS ?? 10);
const WARM_UP = 3;
const OPENSSL = process.env.FACCIA_OPENSSL ?? "/usr/bin/openssl";
const TARGET_RATIO = 1.3;
const SIZES = [
  { label: "1 KiB", bytes: 1024, target: false },
  { label: "1 MiB", bytes: 1024 * 1024, target: true },
  { label: "20 MiB", bytes: 20 * 1024 * 1024, target: true },
] as const;
const KEYS: ReadonlyArray<{ label: string; key: KeyAlgorithm }> = [
  { label: "RSA 2048", key: { kind: "rsa", modulusBits: 2048 } },
  { label: "P-256", key: { kind: "ec", namedCurve: "P-256" } },
];

interface Stats {
  median: number;
  p95: number;
  min: number;
  max: number;
  runs: number;
}

type Measure = "floor" | "signChunked" | "signContiguous" | "verify";

interface Seal {
  label: string;
  set: DevCertificateSet;
  signer: Pkcs12Signer;
  key: KeyObject;
  files: { cert: string; key: string; ca: string };
}

const log = (message: string) => console.error(message);

/** Median and nearest-rank p95 in ms, to hundredths. */
function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 1
      ? (sorted[Math.floor(middle)] ?? NaN)
      : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { median: round(median), p95: round(at(0.95)), min: round(at(0)), max: round(at(1)), runs: samples.length };
}

async function timed(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** A seal as `faccia sign` opens it (from its PKCS#12), plus PEM files for openssl. */
async function makeSeal(label: string, key: KeyAlgorithm, dir: string): Promise<Seal> {
  const set = await generateDevCertificates({
    ipa: "c_bench",
    entityName: "Comune di Bench",
    now: new Date(),
    keys: { seal: key },
  });
  const base = join(dir, label.replace(/\W+/g, "-"));
  const files = { cert: `${base}-seal.pem`, key: `${base}-seal.key`, ca: `${base}-ca.pem` };
  writeFileSync(files.cert, derToPem(set.seal.certificate, "CERTIFICATE"));
  writeFileSync(files.key, derToPem(set.seal.privateKey, "PRIVATE KEY"), { mode: 0o600 });
  writeFileSync(files.ca, derToPem(set.ca.certificate, "CERTIFICATE"));
  const signer = Pkcs12Signer.fromPkcs12(set.seal.p12, set.password);
  const privateKey = createPrivateKey({ key: Buffer.from(set.seal.privateKey), format: "der", type: "pkcs8" });
  return { label, set, signer, key: privateKey, files };
}

/** The sanity check: the .p7m verifies against the dev CA and carries exactly the payload. */
function assertVerifies(p7m: Uint8Array, payload: Uint8Array, seal: Seal, what: string): void {
  const result = verifySignature(p7m, { trust: [seal.set.ca.certificate] });
  const same = result.content !== null && Buffer.compare(result.content, payload) === 0;
  if (!result.valid || !same) {
    throw new Error(`${what} (${seal.label}) did not verify: ${result.reasons.map((r) => r.code).join(", ")}`);
  }
}

/** Floor, chunked sign, contiguous sign and verify, interleaved in a rotating order each round. */
async function measureInProcess(seal: Seal, payload: Uint8Array): Promise<Record<Measure, Stats>> {
  const reference = await signCades(payload, seal.signer);
  assertVerifies(reference, payload, seal, "signCades");
  assertVerifies(Buffer.concat(await signCadesChunked(payload, seal.signer)), payload, seal, "signCadesChunked");
  const work: Record<Measure, () => unknown> = {
    floor: () => rawSign("sha256", createHash("sha256").update(payload).digest(), seal.key),
    signChunked: () => signCadesChunked(payload, seal.signer),
    signContiguous: () => signCades(payload, seal.signer),
    verify: () => verifySignature(reference, { trust: [seal.set.ca.certificate] }),
  };
  const order = Object.keys(work) as Measure[];
  const samples: Record<Measure, number[]> = { floor: [], signChunked: [], signContiguous: [], verify: [] };
  for (let round = -WARM_UP; round < REPEATS; round++) {
    const turn = order.map((_, i) => order[(i + Math.max(round, 0)) % order.length] as Measure);
    for (const measure of turn) {
      const ms = await timed(work[measure]);
      if (round >= 0) samples[measure].push(ms);
    }
  }
  return {
    floor: stats(samples.floor),
    signChunked: stats(samples.signChunked),
    signContiguous: stats(samples.signContiguous),
    verify: stats(samples.verify),
  };
}

function runOpenssl(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(OPENSSL, args, { stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${result.stderr?.toString() ?? result.error}`);
  return ms;
}

/** `openssl cms -sign` per file, with the chain as ours carries it; its output must pass our verifier. */
function measureOpenssl(seal: Seal, payload: Uint8Array, dir: string): Stats {
  const input = join(dir, "payload.bin");
  const output = join(dir, "payload.bin.p7m");
  writeFileSync(input, payload);
  const args = [
    ...["cms", "-sign", "-binary", "-nodetach", "-cades", "-md", "sha256", "-outform", "DER"],
    ...["-in", input, "-signer", seal.files.cert, "-inkey", seal.files.key, "-certfile", seal.files.ca, "-out", output],
  ];
  const samples: number[] = [];
  for (let round = -1; round < OPENSSL_REPEATS; round++) {
    const ms = runOpenssl(args);
    if (round >= 0) samples.push(ms);
  }
  assertVerifies(new Uint8Array(readFileSync(output)), payload, seal, "openssl cms -sign");
  return stats(samples);
}

function measureProcessStart(): Stats {
  const samples: number[] = [];
  for (let round = -1; round < OPENSSL_REPEATS; round++) {
    const ms = runOpenssl(["version"]);
    if (round >= 0) samples.push(ms);
  }
  return stats(samples);
}

interface Row {
  key: string;
  size: string;
  bytes: number;
  target: boolean;
  figures: Record<Measure, Stats> & { openssl: Stats };
  ratios: { chunked: number; contiguous: number };
}

function printTable(rows: readonly Row[], opensslStart: Stats): void {
  const table: string[][] = [
    [
      "key",
      "payload",
      "floor ms",
      "sign ms",
      "× floor",
      "contiguous ms",
      "× floor",
      "verify ms",
      "openssl ms",
      "target",
    ],
  ];
  for (const row of rows) {
    const f = row.figures;
    const met = row.target
      ? row.ratios.chunked <= TARGET_RATIO
        ? `≤ ${TARGET_RATIO}: yes`
        : `≤ ${TARGET_RATIO}: NO`
      : "";
    table.push([
      row.key,
      row.size,
      `${f.floor.median}`,
      `${f.signChunked.median}`,
      row.ratios.chunked.toFixed(2),
      `${f.signContiguous.median}`,
      row.ratios.contiguous.toFixed(2),
      `${f.verify.median}`,
      `${f.openssl.median}`,
      met,
    ]);
  }
  const widths = table[0]?.map((_, c) => Math.max(...table.map((r) => (r[c] ?? "").length))) ?? [];
  for (const row of table) {
    console.log(row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  "));
  }
  console.log(
    `(medians of ${REPEATS} runs after ${WARM_UP} warm-up rounds; openssl: ${OPENSSL_REPEATS} runs, one process each, ` +
      `including process start — \`openssl version\` alone takes ${opensslStart.median} ms; ${cpus().length} cores shared with other work)`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "faccia-bench-sign-"));
  try {
    const rows: Row[] = [];
    for (const { label, key } of KEYS) {
      const seal = await makeSeal(label, key, dir);
      for (const size of SIZES) {
        log(`${label}, ${size.label}…`);
        const payload = new Uint8Array(randomBytes(size.bytes));
        const inProcess = await measureInProcess(seal, payload);
        const figures = { ...inProcess, openssl: measureOpenssl(seal, payload, dir) };
        const ratio = (measure: Measure) => Math.round((figures[measure].median / figures.floor.median) * 100) / 100;
        rows.push({
          key: label,
          size: size.label,
          bytes: size.bytes,
          target: size.target,
          figures,
          ratios: { chunked: ratio("signChunked"), contiguous: ratio("signContiguous") },
        });
      }
    }
    const opensslStart = measureProcessStart();
    printTable(rows, opensslStart);
    const when = new Date().toISOString();
    const results = {
      when,
      node: process.version,
      cpu: cpus()[0]?.model,
      repeats: REPEATS,
      opensslRepeats: OPENSSL_REPEATS,
      targetRatio: TARGET_RATIO,
      opensslStart,
      rows,
    };
    const out = join(benchDir, "..", "..", "bench", "results");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `sign-${when.replaceAll(":", "-")}.json`), JSON.stringify(results, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
