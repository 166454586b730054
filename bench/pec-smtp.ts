/** `bench/pec.ts` (b): dispatch messages submitted to the sandbox provider (in a child process) over pooled SMTP. */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { composeDispatchMessage } from "../src/pec/adapters/compose-message.js";
import { dispatchMessageId } from "../src/pec/domain/dispatch-message.js";
import { createSmtpSender, parsePecMessage, SANDBOX_PASSWORD, startSandboxProvider } from "../src/pec/index.js";
import { mailboxDirectory } from "../src/pec/sandbox/maildir.js";
import { type DevCertificateSet, Pkcs12Signer } from "../src/signature/index.js";
import { ADDRESSES, BOX, check, log, MESSAGES, POOLS, RECIPIENTS, round, SMTP_WARM_UP } from "./pec-support.js";

interface SandboxChild {
  host: string;
  port: number;
  /** Resolves once the sandbox has written every receipt and envelope queued so far. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** This file again, as the sandbox provider (see `runSandboxChild`), answering one JSON line per request. */
async function startSandboxChild(keysFile: string, maildir: string): Promise<SandboxChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(new URL("./pec.js", import.meta.url))],
    {
      env: { ...process.env, BENCH_PEC_ROLE: "sandbox", BENCH_PEC_KEYS: keysFile, BENCH_PEC_MAILDIR: maildir },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const answer = async () => {
    const line = await lines.next();
    if (line.done) throw new Error("the sandbox child exited");
    return JSON.parse(line.value as string) as { host: string; port: number };
  };
  const { host, port } = await answer();
  return {
    host,
    port,
    async idle() {
      child.stdin?.write("idle\n");
      await answer();
    },
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.stdin?.end();
      }),
  };
}

export async function runSandboxChild(): Promise<void> {
  const keys = JSON.parse(readFileSync(process.env.BENCH_PEC_KEYS ?? "", "utf8")) as Record<string, string>;
  const der = (name: string) => new Uint8Array(Buffer.from(keys[name] ?? "", "base64"));
  const signer = Pkcs12Signer.fromPkcs8(der("privateKey"), [der("certificate"), der("ca")]);
  const provider = await startSandboxProvider({ maildir: process.env.BENCH_PEC_MAILDIR ?? "", signer });
  process.stdout.write(`${JSON.stringify({ host: provider.host, port: provider.port })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== "idle") continue;
    await provider.idle();
    process.stdout.write(`${JSON.stringify({ idle: true })}\n`);
  }
  await provider.close();
  process.exit(0);
}

/** Dispatch messages as `dispatchReport` composes them: a signed PDF and JSON, and the CSV (~50 KB). */
async function composeMessages(count: number): Promise<Array<{ raw: Uint8Array; messageId: string }>> {
  const attachments = [
    { format: "pdf.p7m", filename: "relazione.pdf.p7m", contentType: "application/pkcs7-mime", bytes: 40_960 },
    { format: "json.p7m", filename: "relazione.json.p7m", contentType: "application/pkcs7-mime", bytes: 8_192 },
    { format: "csv", filename: "relazione.csv", contentType: "text/csv; charset=utf-8", bytes: 2_048 },
  ].map(({ bytes, ...file }) => ({ ...file, content: new Uint8Array(randomBytes(bytes)) }));
  const subject = "Mettiamoci la faccia - relazione sulla soddisfazione degli utenti - Comune di Bench";
  const text = "Spettabile ufficio,\n\nsi trasmette la relazione.\n";
  const messages: Array<{ raw: Uint8Array; messageId: string }> = [];
  for (let i = 0; i < count; i++) {
    const messageId = dispatchMessageId(randomUUID(), BOX);
    const date = new Date();
    const raw = await composeDispatchMessage({
      messageId,
      from: BOX,
      recipients: RECIPIENTS,
      subject,
      text,
      date,
      attachments,
    });
    messages.push({ raw, messageId });
  }
  return messages;
}

function countFiles(maildir: string, address: string): number {
  return readdirSync(join(mailboxDirectory(maildir, address), "new")).length;
}

/** Every receipt and envelope written; two of the receipts read back, trusted and about our messages. */
function checkMaildir(maildir: string, sent: number, messageIds: ReadonlySet<string>, trust: Uint8Array[]): void {
  check(countFiles(maildir, BOX) === sent * (1 + ADDRESSES.length), "every accettazione and consegna written");
  for (const address of ADDRESSES) check(countFiles(maildir, address) === sent, `every envelope written to ${address}`);
  const inbox = join(mailboxDirectory(maildir, BOX), "new");
  for (const name of readdirSync(inbox).slice(0, 2)) {
    const parsed = parsePecMessage(new Uint8Array(readFileSync(join(inbox, name))), { trust });
    const about = parsed.ok ? parsed.message.references.riferimentoMessageId : null;
    check(parsed.ok && parsed.message.signature.trusted && messageIds.has(about ?? ""), "a receipt reads back");
  }
}

async function sendAll(sender: ReturnType<typeof createSmtpSender>, messages: ReadonlyArray<{ raw: Uint8Array }>) {
  const outcomes = await Promise.all(messages.map(({ raw }) => sender.send({ from: BOX, to: ADDRESSES, raw })));
  const refused = outcomes.filter((outcome) => !outcome.ok);
  check(refused.length === 0, `every submission answered 250 (${refused[0]?.response ?? ""})`);
}

/** One pool size against a fresh sandbox: warm-up, then every message at once, then the sandbox's drain. */
async function measurePool(
  pool: number,
  keysFile: string,
  maildir: string,
  messages: Array<{ raw: Uint8Array; messageId: string }>,
) {
  const sandbox = await startSandboxChild(keysFile, maildir);
  const sender = createSmtpSender({
    host: sandbox.host,
    port: sandbox.port,
    security: "plain",
    user: BOX,
    password: SANDBOX_PASSWORD,
    maxConnections: pool,
  });
  try {
    const warmUp = await composeMessages(SMTP_WARM_UP);
    await sendAll(sender, warmUp);
    await sandbox.idle();
    const started = performance.now();
    await sendAll(sender, messages);
    const answeredMs = performance.now() - started;
    await sandbox.idle();
    const drainedMs = performance.now() - started;
    return {
      sent: warmUp.length + messages.length,
      ids: new Set([...warmUp, ...messages].map((one) => one.messageId)),
      figures: {
        pool,
        answeredMs: round(answeredMs),
        messagesPerSecond: round(messages.length / (answeredMs / 1000), 1),
        sandboxDrainedMs: round(drainedMs),
        sandboxMessagesPerSecond: round(messages.length / (drainedMs / 1000), 1),
      },
    };
  } finally {
    sender.close();
    await sandbox.close();
  }
}

export async function benchSmtp(certificates: DevCertificateSet, dir: string) {
  const keysFile = join(dir, "pec-provider.json");
  const b64 = (der: Uint8Array) => Buffer.from(der).toString("base64");
  const { pecProvider, ca } = certificates;
  const keys = {
    privateKey: b64(pecProvider.privateKey),
    certificate: b64(pecProvider.certificate),
    ca: b64(ca.certificate),
  };
  writeFileSync(keysFile, JSON.stringify(keys), { mode: 0o600 });
  log(`(b) composing ${MESSAGES} dispatch messages (not timed)…`);
  const messages = await composeMessages(MESSAGES);
  const pools = [];
  for (const pool of POOLS) {
    log(`(b) ${MESSAGES} messages, pool of ${pool}…`);
    const maildir = mkdtempSync(join(tmpdir(), "faccia-bench-pec-maildir-"));
    try {
      const run = await measurePool(pool, keysFile, maildir, messages);
      checkMaildir(maildir, run.sent, run.ids, [ca.certificate]);
      pools.push(run.figures);
    } finally {
      rmSync(maildir, { recursive: true, force: true });
    }
  }
  const meanMessageBytes = round(messages.reduce((sum, one) => sum + one.raw.length, 0) / messages.length);
  return { messages: MESSAGES, recipients: ADDRESSES.length, meanMessageBytes, pools };
}
