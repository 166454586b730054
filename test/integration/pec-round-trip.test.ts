import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createImapMailbox,
  createMailboxSync,
  createOutbox,
  createPecWorker,
  createSmtpSender,
  NO_FAULTS,
  type PecAccountsPort,
  type SandboxProvider,
  startSandboxProvider,
} from "../../src/pec/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { silentLogger } from "../../src/shared/logger.js";
import { backends } from "../support/databases.js";
import { type DovecotServer, SKIP_WITHOUT_DOVECOT, startDovecot } from "../support/dovecot.js";
import { startMeteredTcpProxy } from "../support/metered-tcp-proxy.js";
import { BOX, openPecWorld, type PecWorld, RECIPIENTS, seedSignedReport } from "../support/pec-world.js";

/**
 * Issue 6, the full round trip on real components: nodemailer → sandbox SMTP → Maildir → Dovecot
 * IMAP → imapflow → receipts → report status, with every fault the sandbox can inject, and a
 * gateway restart between the SMTP accept and the database update. No message is ever sent twice
 * (each recipient's Maildir holds exactly one busta di trasporto) and no receipt is lost.
 */
const PASSWORD = "sandbox";
const START = new Date("2026-11-04T09:00:00Z");
const HOUR = 3_600_000;
const ADDRESSES = RECIPIENTS.map((r) => r.address);
const backend = backends.at(-1) ?? "pglite";

describe.skipIf(SKIP_WITHOUT_DOVECOT)(`PEC round trip through the sandbox and Dovecot (${backend})`, () => {
  const clock = fixedClock(START);
  let world: PecWorld;
  let root: string;
  let sandbox: SandboxProvider;
  let dovecot: DovecotServer;
  let accounts: PecAccountsPort;
  const closers: Array<() => unknown> = [];

  beforeAll(async () => {
    world = await openPecWorld(backend, clock);
    root = mkdtempSync(join(tmpdir(), "faccia-pec-round-trip-"));
    sandbox = await startSandboxProvider({ maildir: root, signer: world.providerSigner, password: PASSWORD, clock });
    dovecot = await startDovecot({
      maildirRoot: root,
      users: [BOX, ...ADDRESSES].map((address) => ({ address, password: PASSWORD })),
    });
    const sender = createSmtpSender({
      host: sandbox.host,
      port: sandbox.port,
      security: "plain",
      user: BOX,
      password: PASSWORD,
    });
    const reader = createImapMailbox({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      user: BOX,
      password: PASSWORD,
    });
    closers.push(
      () => sender.close(),
      () => reader.close(),
    );
    accounts = {
      senderFor: () => sender,
      mailboxFor: () => reader,
      trust: world.trust,
      maxMessageBytes: 30 * 1024 * 1024,
    };
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await sandbox?.close();
    await dovecot?.stop();
    await world?.database.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  let reportId: string;
  let period = 0;
  beforeEach(async () => {
    clock.set(START);
    sandbox.setFaults(NO_FAULTS);
    period += 1;
    reportId = await seedSignedReport(world.database, world.org.entityId, `2024-${String(period).padStart(2, "0")}`);
  });

  function worker(outboxRepo = world.services.dispatchRepo, via: PecAccountsPort = accounts) {
    const { services } = world;
    const accounts = via;
    const log = silentLogger();
    return createPecWorker({
      settings: services.pecSettings,
      accounts,
      outbox: createOutbox({
        repo: outboxRepo,
        settings: services.pecSettings,
        accounts,
        transition: services.reportsForDispatch.transition,
        clock,
        log,
      }),
      sync: createMailboxSync({
        repo: services.dispatchRepo,
        settings: services.pecSettings,
        tracker: services.dispatchTracker,
        trust: world.trust,
        clock,
        log,
      }),
      tracker: services.dispatchTracker,
      clock,
      log,
      withLock: (_key, work) => work(),
      pollMs: 200,
    });
  }

  /** Send, let the sandbox write its receipts, read them: the way the gateway's loop does it. */
  async function dispatchAndRead(gateway = worker()) {
    const queued = await world.services.dispatching.dispatchReport(world.org.ipaCode, reportId, "secretary");
    await gateway.runPass();
    await sandbox.idle();
    await gateway.runPass();
    return queued;
  }

  async function state(dispatchId: string) {
    const repo = world.services.dispatchRepo;
    const recipients = await repo.recipients(dispatchId);
    return {
      report: await repo.reportStatus(reportId),
      dispatch: await repo.dispatch(dispatchId),
      recipients: Object.fromEntries(recipients.map((r) => [r.address, r.status])),
      received: (await repo.messages(world.org.entityId, { dispatchId })).filter((m) => m.direction === "received"),
    };
  }

  /** The envelopes (busta di trasporto) a recipient's box holds for one Message-ID. */
  function envelopesFor(address: string, messageId: string): number {
    let count = 0;
    for (const folder of ["new", "cur"]) {
      for (const file of readdirSync(join(root, address, folder), { withFileTypes: true })) {
        const text = readFileSync(join(root, address, folder, file.name), "latin1");
        if (text.includes(`X-Riferimento-Message-ID: <${messageId}>`)) count += 1;
      }
    }
    return count;
  }

  it("delivers: one accettazione and a consegna per recipient, read over IMAP, report delivered", async () => {
    const queued = await dispatchAndRead();
    const now = await state(queued.id);
    expect(now.report).toBe("delivered");
    expect(now.dispatch).toMatchObject({ outbox: "submitted", status: "delivered", acceptance: "accepted" });
    expect(now.recipients).toEqual(Object.fromEntries(ADDRESSES.map((a) => [a, "delivered"])));
    expect(now.received.map((m) => m.type).sort()).toEqual(["accettazione", "avvenuta-consegna", "avvenuta-consegna"]);
    expect(now.received.every((m) => m.verified)).toBe(true);
    for (const address of ADDRESSES) expect(envelopesFor(address, queued.messageId)).toBe(1);
    // Processed messages left the INBOX for Faccia/Elaborati; nothing was deleted.
    expect(readdirSync(join(root, BOX, "new"))).toHaveLength(0);
  });

  it.each([
    ["duplicated receipts", { duplicate: true }],
    ["receipts in reverse order", { reorder: true }],
    ["a lost accettazione", { drop: ["accettazione" as const] }],
  ])("still ends delivered with %s, each receipt stored once", async (_name, faults) => {
    sandbox.setFaults(faults);
    const queued = await dispatchAndRead();
    const now = await state(queued.id);
    expect(now.report).toBe("delivered");
    const ids = now.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const address of ADDRESSES) expect(envelopesFor(address, queued.messageId)).toBe(1);
  });

  it("waits for delayed receipts", async () => {
    sandbox.setFaults({ receiptDelayMs: 300 });
    const gateway = worker();
    const queued = await world.services.dispatching.dispatchReport(world.org.ipaCode, reportId, "secretary");
    await gateway.runPass();
    await gateway.runPass();
    expect((await state(queued.id)).report).toBe("dispatched");
    await sandbox.idle();
    await gateway.runPass();
    expect((await state(queued.id)).report).toBe("delivered");
  });

  it("marks a rejected recipient failed and the report partially delivered", async () => {
    const [nucleo, dfp] = ADDRESSES as [string, string];
    sandbox.setFaults({ rejectRecipients: [dfp] });
    const queued = await dispatchAndRead();
    const now = await state(queued.id);
    expect(now.recipients).toEqual({ [nucleo]: "delivered", [dfp]: "failed" });
    expect(now.report).toBe("partially_delivered");
  });

  it("warns at 12 hours and fails at 24 hours when the recipient's provider never answers", async () => {
    const [nucleo, dfp] = ADDRESSES as [string, string];
    sandbox.setFaults({ holdDelivery: [dfp] });
    const gateway = worker();
    const queued = await dispatchAndRead(gateway);
    expect((await state(queued.id)).recipients[dfp]).toBe("accepted");
    clock.advance(12 * HOUR);
    expect(await sandbox.runDeadlines()).toBeGreaterThan(0);
    await gateway.runPass();
    expect((await state(queued.id)).recipients[dfp]).toBe("warned");
    clock.advance(12 * HOUR);
    await sandbox.runDeadlines();
    await gateway.runPass();
    const now = await state(queued.id);
    expect(now.recipients).toEqual({ [nucleo]: "delivered", [dfp]: "failed" });
    expect(now.report).toBe("partially_delivered");
  });

  it("lost delivery receipts: the gateway's own 24-hour deadline fails the recipients", async () => {
    sandbox.setFaults({ drop: ["avvenuta-consegna"] });
    const gateway = worker();
    const queued = await dispatchAndRead(gateway);
    expect((await state(queued.id)).report).toBe("dispatched");
    clock.advance(24 * HOUR);
    await gateway.runPass();
    expect((await state(queued.id)).report).toBe("failed");
  });

  it("retries while the provider is down, then delivers once", async () => {
    sandbox.setFaults({ down: true });
    const gateway = worker();
    const queued = await dispatchAndRead(gateway);
    expect((await state(queued.id)).dispatch).toMatchObject({ outbox: "queued", attempts: 1 });
    sandbox.setFaults({ down: false });
    clock.advance(2 * 60_000);
    await gateway.runPass();
    await sandbox.idle();
    await gateway.runPass();
    expect((await state(queued.id)).report).toBe("delivered");
    for (const address of ADDRESSES) expect(envelopesFor(address, queued.messageId)).toBe(1);
  });

  it("a gateway restarted between the SMTP accept and the database update finds the acceptance and never sends twice", async () => {
    const crashing = worker({
      ...world.services.dispatchRepo,
      markSubmitted: async () => {
        throw new Error("gateway killed after the SMTP accept");
      },
    });
    const queued = await world.services.dispatching.dispatchReport(world.org.ipaCode, reportId, "secretary");
    await expect(crashing.runPass()).rejects.toThrow("gateway killed");
    await sandbox.idle();
    expect((await state(queued.id)).dispatch?.outbox).toBe("sending");

    const restarted = worker();
    clock.advance(60_000);
    await restarted.runPass();
    await restarted.runPass();
    const now = await state(queued.id);
    expect(now.dispatch?.outbox).toBe("submitted");
    expect(now.report).toBe("delivered");
    for (const address of ADDRESSES) expect(envelopesFor(address, queued.messageId)).toBe(1);
  });

  it("loses no receipt when the IMAP connection drops in the middle of a fetch", async () => {
    const proxy = await startMeteredTcpProxy(dovecot.host, dovecot.port);
    const reader = createImapMailbox({
      host: "127.0.0.1",
      port: proxy.port,
      secure: false,
      user: BOX,
      password: PASSWORD,
    });
    const viaProxy = worker(world.services.dispatchRepo, { ...accounts, mailboxFor: () => reader });
    try {
      const queued = await world.services.dispatching.dispatchReport(world.org.ipaCode, reportId, "secretary");
      await viaProxy.runPass();
      await sandbox.idle();
      // Cut the connection once a few kilobytes of the receipts have come through.
      const dropped = proxy.dropAfter(6_000);
      await viaProxy.runPass();
      await dropped;
      const box = await world.services.pecSettings.box(world.org.entityId);
      expect(box?.lastError).toBeTruthy();
      expect((await state(queued.id)).report).toBe("dispatched");
      await viaProxy.runPass();
      const now = await state(queued.id);
      expect(now.report).toBe("delivered");
      expect(now.received).toHaveLength(3);
      expect((await world.services.pecSettings.box(world.org.entityId))?.lastError).toBeNull();
    } finally {
      await reader.close();
      await proxy.close();
    }
  });

  it("stores a certified reply from an oversight office as incoming mail, not as a receipt", async () => {
    const [nucleo] = ADDRESSES as [string];
    const office = createSmtpSender({
      host: sandbox.host,
      port: sandbox.port,
      security: "plain",
      user: nucleo,
      password: PASSWORD,
    });
    const replyId = `reply.${Date.now()}@pec.sandbox.test`;
    const raw = Buffer.from(
      [
        `From: ${nucleo}`,
        `To: ${BOX}`,
        "Subject: Re: relazione ricevuta",
        `Message-ID: <${replyId}>`,
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=UTF-8",
        "",
        "Ricevuta la relazione, grazie.",
        "",
      ].join("\r\n"),
    );
    expect((await office.send({ from: nucleo, to: [BOX], raw })).ok).toBe(true);
    office.close();
    await sandbox.idle();
    await worker().runPass();
    const incoming = await world.services.dispatchRepo.messages(world.org.entityId, { direction: "received" });
    const reply = incoming.find((m) => m.type === "posta-certificata" && m.subject?.includes("relazione ricevuta"));
    expect(reply).toMatchObject({ dispatchId: null, verified: false });
    expect(reply?.signature).toMatchObject({ valid: true, trusted: true });
  });
});
