import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { generateDevCertificates, Pkcs12Signer } from "../src/signature/index.js";
import { benchReceipts } from "./pec-receipts.js";
import { benchSmtp, runSandboxChild } from "./pec-smtp.js";
import { ADDRESSES, EC, IPA, log, REPEATS, TARGET_MESSAGES, TARGET_RECEIPTS } from "./pec-support.js";
import { benchDir } from "./support.js";

type ReceiptFigures = Awaited<ReturnType<typeof benchReceipts>>;
type SmtpFigures = Awaited<ReturnType<typeof benchSmtp>>;

function printTable(a: ReceiptFigures, b: SmtpFigures): void {
  const verdict = (rate: number, target: number) => `${(rate / target).toFixed(2)} ${rate >= target ? "yes" : "NO"}`;
  const rows: string[][] = [["measure", "rate", "target", "× target"]];
  const receipts = (label: string, rate: number) =>
    rows.push([label, `${rate} receipts/s`, `≥ ${TARGET_RECEIPTS}`, verdict(rate, TARGET_RECEIPTS)]);
  const messages = (label: string, rate: number, target: boolean) =>
    rows.push([
      label,
      `${rate} messages/s`,
      target ? `≥ ${TARGET_MESSAGES}` : "",
      target ? verdict(rate, TARGET_MESSAGES) : "",
    ]);
  receipts(`(a) full pipeline, ${a.receipts} receipts (${a.database})`, a.pipeline.receiptsPerSecond);
  receipts("    of which in process (parse, verify, correlate)", a.pipeline.inProcessPerSecond);
  receipts("    of which database (lookup, store, status)", a.pipeline.databasePerSecond);
  receipts(`    parse only (${a.sample.size} receipts, one thread)`, a.sample.median.parseOnly);
  receipts(`    verify only (${a.sample.size} receipts, one thread)`, a.sample.median.verifyOnly);
  for (const pool of b.pools) {
    messages(`(b) SMTP submission, pool of ${pool.pool}`, pool.messagesPerSecond, true);
    messages("    sandbox done writing (its cost)", pool.sandboxMessagesPerSecond, false);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? "").length))) ?? [];
  for (const row of rows) {
    console.log(
      row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  "),
    );
  }
  const steps = Object.entries(a.pipeline.stepsMs).map(([step, ms]) => `${step} ${ms}`);
  const [one, five] = b.pools;
  const poolRatio = one && five ? (five.messagesPerSecond / one.messagesPerSecond).toFixed(2) : "?";
  const twice =
    a.sample.verifiedTwice > 0 ? `; ${a.sample.verifiedTwice} verified twice (signing-time ≠ daticert)` : "";
  const pglite = a.database === "pglite" ? " On PGlite: the target applies to Postgres." : "";
  console.log(
    `(a) ${a.pipeline.ms} ms in all (ms: ${steps.join(", ")}); ${a.dispatches} dispatches of 1 accettazione + ` +
      `${ADDRESSES.length} consegne, mean receipt ${a.meanReceiptBytes} bytes; "of which": receipts over that part's time alone; ` +
      `parse/verify only: medians of ${REPEATS} rounds${twice}.${pglite}`,
  );
  console.log(
    `(b) ${b.messages} messages of ${b.meanMessageBytes} bytes to ${b.recipients} recipients; pool 5 / pool 1 = ${poolRatio}; ` +
      `sandbox in a child process; ${cpus().length} cores shared by client, sandbox and Postgres`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "faccia-bench-pec-"));
  try {
    log("generating certificates (RSA 2048 CA and PEC provider)…");
    const certificates = await generateDevCertificates({
      ipa: IPA,
      entityName: "Comune di Bench",
      now: new Date(),
      keys: { seal: EC, samlSp: EC, tsa: EC },
    });
    const { pecProvider, ca } = certificates;
    const signer = Pkcs12Signer.fromPkcs8(pecProvider.privateKey, [pecProvider.certificate, ca.certificate]);
    const receipts = await benchReceipts(certificates, signer);
    const smtp = await benchSmtp(certificates, dir);
    printTable(receipts, smtp);
    const when = new Date().toISOString();
    const results = {
      when,
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      targets: { receiptsPerSecond: TARGET_RECEIPTS, messagesPerSecond: TARGET_MESSAGES },
      receipts,
      smtp,
    };
    const out = join(benchDir, "..", "..", "bench", "results");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `pec-${when.replaceAll(":", "-")}.json`), JSON.stringify(results, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.BENCH_PEC_ROLE === "sandbox") await runSandboxChild();
else await main();
