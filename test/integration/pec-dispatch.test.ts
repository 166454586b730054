import { createHash, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tables } from "../../src/db/index.js";
import {
  buildReceipt,
  createDispatching,
  createMailboxSync,
  createOutbox,
  type SandboxReceiptInput,
  type SmtpOutcome,
  type SmtpSender,
} from "../../src/pec/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { silentLogger } from "../../src/shared/logger.js";
import { backends } from "../support/databases.js";
import { pecProviderKeys } from "../support/pec-provider-keys.js";
import { BOX, memoryMailbox, openPecWorld, type PecWorld, RECIPIENTS, seedSignedReport } from "../support/pec-world.js";

/**
 * Issue 6, the dispatch pipeline on a real database (PGlite and Postgres): outbox with our own
 * Message-ID, SMTP outcomes, receipts read from a mailbox, forged receipts, deadlines, and the
 * recovery of a submission interrupted between the SMTP accept and the database update.
 */
const START = new Date("2026-11-04T09:00:00Z");
const HOUR = 3_600_000;
const ADDRESSES = RECIPIENTS.map((r) => r.address);

function fakeSender(answers: SmtpOutcome[]) {
  const sent: Array<{ from: string; to: readonly string[]; raw: Uint8Array }> = [];
  const sender: SmtpSender = {
    async send(submission) {
      sent.push(submission);
      return answers.shift() ?? { ok: true, response: "250 2.0.0 queued" };
    },
    close: () => undefined,
  };
  return { sender, sent };
}

describe.each(backends)("PEC dispatch pipeline (%s)", (backend) => {
  const clock = fixedClock(START);
  let world: PecWorld;

  beforeAll(async () => {
    world = await openPecWorld(backend, clock);
  });
  afterAll(async () => {
    await world?.database.drop();
  });

  let reportId: string;
  let period = 0;
  beforeEach(async () => {
    clock.set(START);
    period += 1;
    reportId = await seedSignedReport(world.database, world.org.entityId, `2025-${String(period).padStart(2, "0")}`);
  });

  function pipeline(answers: SmtpOutcome[] = [], firstUid = 1) {
    const { services } = world;
    const smtp = fakeSender(answers);
    // A new UIDVALIDITY per test: the box's cursor in the database carries over from the test before.
    const mailbox = memoryMailbox(randomUUID(), firstUid);
    const outbox = createOutbox({
      repo: services.dispatchRepo,
      settings: services.pecSettings,
      accounts: { senderFor: () => smtp.sender },
      transition: services.reportsForDispatch.transition,
      clock,
      log: silentLogger(),
    });
    const sync = createMailboxSync({
      repo: services.dispatchRepo,
      settings: services.pecSettings,
      tracker: services.dispatchTracker,
      trust: world.trust,
      clock,
      log: silentLogger(),
    });
    const readBox = async () => {
      const box = await services.pecSettings.box(world.org.entityId);
      if (!box) throw new Error("no box");
      const result = await sync.syncBox(box, mailbox.reader);
      // As the worker does: a pass without error is a successful read of the box.
      await services.pecSettings.recordSync(world.org.entityId, clock.now(), null);
      return result;
    };
    return { smtp, mailbox, outbox, readBox };
  }

  async function dispatchNow() {
    return world.services.dispatching.dispatchReport(world.org.ipaCode, reportId, "secretary");
  }

  function receipt(messageId: string, input: Partial<SandboxReceiptInput> & Pick<SandboxReceiptInput, "kind">) {
    return buildReceipt(
      {
        original: { messageId, from: BOX, to: ADDRESSES, subject: "Relazione" },
        at: clock.now(),
        provider: { domain: "pec.sandbox.test", name: "Faccia PEC sandbox" },
        identificativo: `opec.${messageId}`,
        deliveryType: "sintetica",
        ...input,
      },
      world.providerSigner,
    );
  }

  async function reportStatus() {
    return world.services.dispatchRepo.reportStatus(reportId);
  }

  it("commits the message with our own Message-ID before sending, and sends exactly those bytes", async () => {
    const { smtp, outbox } = pipeline();
    const queued = await dispatchNow();
    expect(await reportStatus()).toBe("dispatched");
    const [evidence] = await world.services.dispatchRepo.messages(world.org.entityId, { dispatchId: queued.id });
    expect(evidence).toMatchObject({ direction: "sent", messageId: queued.messageId });
    expect(smtp.sent).toHaveLength(0);

    expect(await outbox.runOnce()).toBe(1);
    expect(smtp.sent).toHaveLength(1);
    const [submission] = smtp.sent;
    const raw = (await world.services.dispatchRepo.raw(world.org.entityId, evidence?.id ?? ""))?.raw;
    expect(Buffer.from(submission?.raw ?? []).equals(Buffer.from(raw ?? []))).toBe(true);
    expect(submission?.from).toBe(BOX);
    expect([...(submission?.to ?? [])].sort()).toEqual([...ADDRESSES].sort());
    const head =
      Buffer.from(submission?.raw ?? [])
        .toString("latin1")
        .split("\r\n\r\n")[0] ?? "";
    expect(head).toContain(`Message-ID: <${queued.messageId}>`);
    expect(head).toMatch(/^From: protocollo@pec\.sandbox\.test$/m);
    expect(head).not.toMatch(/^(Bcc|Disposition-Notification-To|Return-Receipt-To):/im);
    expect(Buffer.from(submission?.raw ?? []).toString("latin1")).toMatch(
      /filename="?relazione-c_test-2025-\d\d\.pdf\.p7m/,
    );
    expect((await world.services.dispatchRepo.dispatch(queued.id))?.outbox).toBe("submitted");
    expect(await outbox.runOnce()).toBe(0);
  });

  it("marks the report delivered once every recipient's ricevuta di avvenuta consegna is read, in any order, once", async () => {
    const { outbox, mailbox, readBox } = pipeline();
    const queued = await dispatchNow();
    await outbox.runOnce();
    const consegne = await Promise.all(
      ADDRESSES.map((recipient) => receipt(queued.messageId, { kind: "avvenuta-consegna", recipient })),
    );
    const accettazione = await receipt(queued.messageId, { kind: "accettazione" });
    // The first consegna arrives before the accettazione; then everything arrives again.
    mailbox.deliver(consegne[0] as Uint8Array);
    expect((await readBox()).receipts).toBe(1);
    expect(await reportStatus()).toBe("dispatched");
    mailbox.deliver(accettazione);
    mailbox.deliver(consegne[1] as Uint8Array);
    await readBox();
    expect(await reportStatus()).toBe("delivered");
    for (const raw of [accettazione, ...consegne]) mailbox.deliver(raw);
    await readBox();
    const stored = await world.services.dispatchRepo.messages(world.org.entityId, { dispatchId: queued.id });
    expect(stored.filter((m) => m.direction === "received")).toHaveLength(3);
    expect(mailbox.inbox).toHaveLength(0);
    expect(mailbox.processed).toHaveLength(6);
    const dispatch = await world.services.dispatchRepo.dispatch(queued.id);
    expect(dispatch).toMatchObject({
      status: "delivered",
      acceptance: "accepted",
      identificativo: `opec.${queued.messageId}`,
    });
    const recipients = await world.services.dispatchRepo.recipients(queued.id);
    expect(recipients.map((r) => r.status)).toEqual(["delivered", "delivered"]);
  });

  it("never counts forged receipts: unsigned, signed by an untrusted provider, altered, or about another message", async () => {
    const { outbox, mailbox, readBox } = pipeline();
    const queued = await dispatchNow();
    await outbox.runOnce();
    // Another CA's provider: a signature that is intact but not trusted.
    const { signer: rogueSigner } = await pecProviderKeys(new Date("2026-01-01T00:00:00Z"));
    const [nucleo] = ADDRESSES;
    const untrusted = await buildReceipt(
      {
        kind: "avvenuta-consegna",
        recipient: nucleo,
        original: { messageId: queued.messageId, from: BOX, to: ADDRESSES, subject: "Relazione" },
        at: clock.now(),
        provider: { domain: "pec.sandbox.test", name: "Faccia PEC sandbox" },
        identificativo: "opec.forged",
        deliveryType: "sintetica",
      },
      rogueSigner,
    );
    const genuine = Buffer.from(await receipt(queued.messageId, { kind: "avvenuta-consegna", recipient: nucleo }));
    // Altered: one byte of the signed daticert changed (base64 'A' ↔ 'B' inside the signed part).
    const altered = Buffer.from(genuine);
    const at = altered.indexOf("daticert.xml");
    const flip = altered.indexOf("A", at + 200);
    altered[flip] = "B".charCodeAt(0);
    // Unsigned: the signature part cut off.
    const unsigned = Buffer.from(
      genuine.toString("latin1").replace(/Content-Type: application\/pkcs7-signature[\s\S]*$/, ""),
      "latin1",
    );
    // About another message: genuinely signed, its top-level X-Riferimento-Message-ID rewritten to ours.
    const other = Buffer.from(await receipt("another@pec.example", { kind: "avvenuta-consegna", recipient: nucleo }));
    const redirected = Buffer.from(
      other
        .toString("latin1")
        .replace("X-Riferimento-Message-ID: <another@pec.example>", `X-Riferimento-Message-ID: <${queued.messageId}>`),
      "latin1",
    );
    // Relabelled: a genuine avviso di mancata consegna whose (unsigned) X-Ricevuta now says consegna.
    const failure = Buffer.from(
      await receipt(queued.messageId, { kind: "errore-consegna", recipient: nucleo, errore: "no-dest" }),
    );
    const relabelled = Buffer.from(
      failure.toString("latin1").replace("X-Ricevuta: errore-consegna", "X-Ricevuta: avvenuta-consegna"),
      "latin1",
    );
    expect(relabelled.equals(failure)).toBe(false);
    for (const raw of [untrusted, altered, unsigned, redirected, relabelled]) mailbox.deliver(raw);
    await readBox();
    const received = (await world.services.dispatchRepo.messages(world.org.entityId, { dispatchId: queued.id })).filter(
      (m) => m.direction === "received",
    );
    // The redirected one is filed by its signed daticert: under the other message, not this dispatch.
    expect(received).toHaveLength(4);
    expect(received.every((m) => !m.verified)).toBe(true);
    const all = await world.services.dispatchRepo.messages(world.org.entityId, { direction: "received" });
    expect(all.find((m) => m.messageId !== null && redirected.includes(m.messageId))?.dispatchId).toBeNull();
    const recipients = await world.services.dispatchRepo.recipients(queued.id);
    expect(recipients.every((r) => r.status === "pending")).toBe(true);
    expect(await reportStatus()).toBe("dispatched");
    const dispatch = await world.services.dispatchRepo.dispatch(queued.id);
    expect(JSON.stringify(dispatch?.alerts)).toContain("unverified-receipt");
  });

  it("retries a 4xx with backoff and fails on a permanent 5xx with the server's text", async () => {
    const { smtp, outbox } = pipeline([
      { ok: false, failure: "transient", response: "421 4.3.2 Service not available" },
      { ok: false, failure: "permanent", response: "550 5.7.1 Message rejected: attachment not allowed" },
    ]);
    const queued = await dispatchNow();
    await outbox.runOnce();
    let dispatch = await world.services.dispatchRepo.dispatch(queued.id);
    expect(dispatch).toMatchObject({ outbox: "queued", attempts: 1, lastError: "421 4.3.2 Service not available" });
    expect(await outbox.runOnce()).toBe(0);
    clock.advance(60_000);
    await outbox.runOnce();
    dispatch = await world.services.dispatchRepo.dispatch(queued.id);
    expect(dispatch).toMatchObject({ outbox: "refused", status: "failed", attempts: 2 });
    expect(dispatch?.lastError).toContain("attachment not allowed");
    expect(await reportStatus()).toBe("failed");
    expect(smtp.sent).toHaveLength(2);
  });

  it("after a crash between the SMTP accept and the database update, finds the acceptance instead of sending again", async () => {
    const { smtp, outbox, mailbox, readBox } = pipeline();
    const queued = await dispatchNow();
    const crashing = createOutbox({
      repo: {
        ...world.services.dispatchRepo,
        markSubmitted: async () => {
          throw new Error("process killed");
        },
      },
      settings: world.services.pecSettings,
      accounts: { senderFor: () => smtp.sender },
      transition: world.services.reportsForDispatch.transition,
      clock,
      log: silentLogger(),
    });
    await expect(crashing.runOnce()).rejects.toThrow("process killed");
    expect(smtp.sent).toHaveLength(1);
    expect((await world.services.dispatchRepo.dispatch(queued.id))?.outbox).toBe("sending");

    // The restarted gateway: no receipt yet, so it waits rather than resending.
    clock.advance(5 * 60_000);
    expect(await outbox.recover()).toBe(0);
    expect(await outbox.runOnce()).toBe(0);
    mailbox.deliver(await receipt(queued.messageId, { kind: "accettazione" }));
    await readBox();
    expect(await outbox.recover()).toBe(1);
    expect((await world.services.dispatchRepo.dispatch(queued.id))?.outbox).toBe("submitted");
    clock.advance(HOUR);
    await outbox.recover();
    await outbox.runOnce();
    expect(smtp.sent).toHaveLength(1);
  });

  it("never resends a submission whose outcome is unknown (the connection broke after the message was sent)", async () => {
    const { smtp, outbox, mailbox, readBox } = pipeline([
      { ok: false, failure: "unknown", response: "ECONNECTION: Connection closed unexpectedly" },
    ]);
    const queued = await dispatchNow();
    await outbox.runOnce();
    expect(await world.services.dispatchRepo.dispatch(queued.id)).toMatchObject({
      outbox: "sending",
      lastError: "ECONNECTION: Connection closed unexpectedly",
    });
    clock.advance(HOUR);
    await outbox.recover();
    expect(await outbox.runOnce()).toBe(0);
    mailbox.deliver(await receipt(queued.messageId, { kind: "accettazione" }));
    await readBox();
    expect(await outbox.recover()).toBe(1);
    expect((await world.services.dispatchRepo.dispatch(queued.id))?.outbox).toBe("submitted");
    expect(smtp.sent).toHaveLength(1);
  });

  it("a message the database cannot hold as text never blocks the box; UIDs beyond 2^31 are kept", async () => {
    const { outbox, mailbox, readBox } = pipeline([], 4_294_967_290);
    const queued = await dispatchNow();
    await outbox.runOnce();
    const hostile = [
      "From: someone@example.org",
      "To: protocollo@pec.sandbox.test",
      "Subject: =?UTF-8?Q?ciao=00mondo?=",
      "Message-ID: <nul.subject@example.org>",
      "",
      "testo",
      "",
    ].join("\r\n");
    mailbox.deliver(Buffer.from(hostile));
    mailbox.deliver(await receipt(queued.messageId, { kind: "accettazione" }));
    expect((await readBox()).read).toBe(2);
    const incoming = await world.services.dispatchRepo.messages(world.org.entityId, { direction: "received" });
    expect(incoming.find((m) => m.messageId === "nul.subject@example.org")?.subject).toBe("ciaomondo");
    expect((await world.services.dispatchRepo.dispatch(queued.id))?.acceptance).toBe("accepted");
    const box = await world.services.pecSettings.box(world.org.entityId);
    expect(box?.cursor?.uid).toBe(4_294_967_291);
  });

  it("a row the database refuses is kept as bytes only and the batch goes on; an unavailable database moves nothing", async () => {
    const { outbox, mailbox } = pipeline();
    const queued = await dispatchNow();
    await outbox.runOnce();
    const poison = Buffer.from(
      "From: x@example.org\r\nSubject: poison\r\nMessage-ID: <poison@example.org>\r\n\r\nx\r\n",
    );
    mailbox.deliver(poison);
    mailbox.deliver(await receipt(queued.messageId, { kind: "accettazione" }));
    const refusing = (failure: Error) => ({
      ...world.services.dispatchRepo,
      storeReceived: async (
        entityId: string,
        rows: Parameters<typeof world.services.dispatchRepo.storeReceived>[1],
      ) => {
        if (rows.some((row) => row.subject === "poison")) throw failure;
        return world.services.dispatchRepo.storeReceived(entityId, rows);
      },
    });
    const syncWith = (repo: typeof world.services.dispatchRepo) =>
      createMailboxSync({
        repo,
        settings: world.services.pecSettings,
        tracker: world.services.dispatchTracker,
        trust: world.trust,
        clock,
        log: silentLogger(),
      });
    const box = (await world.services.pecSettings.box(world.org.entityId)) as NonNullable<
      Awaited<ReturnType<typeof world.services.pecSettings.box>>
    >;
    const down = Object.assign(new Error("connection refused"), { code: "ECONNREFUSED" });
    await expect(syncWith(refusing(down)).syncBox(box, mailbox.reader)).rejects.toThrow("connection refused");
    expect(mailbox.inbox).toHaveLength(2);
    const refused = Object.assign(new Error("unsupported Unicode escape sequence"), { code: "22P05" });
    expect((await syncWith(refusing(refused)).syncBox(box, mailbox.reader)).read).toBe(2);
    expect(mailbox.inbox).toHaveLength(0);
    const incoming = await world.services.dispatchRepo.messages(world.org.entityId, { direction: "received" });
    const stored = incoming.find((m) => m.sha256 === createHash("sha256").update(poison).digest("hex"));
    expect(stored).toMatchObject({ type: "unreadable", subject: null });
    expect((await world.services.dispatchRepo.dispatch(queued.id))?.acceptance).toBe("accepted");
  });

  it("sends again an interrupted submission that no receipt answered within the recovery window", async () => {
    const { smtp, outbox, readBox } = pipeline();
    const queued = await dispatchNow();
    await world.database.db
      .update(tables.pecDispatches)
      .set({ outbox: "sending", sendingSince: clock.now(), attempts: 1 })
      .where(eq(tables.pecDispatches.id, queued.id));
    clock.advance(29 * 60_000);
    expect(await outbox.recover()).toBe(0);
    clock.advance(60_000);
    // The window has passed, but the box has not been read since: the receipt may be waiting there.
    expect(await outbox.recover()).toBe(0);
    expect((await world.services.dispatchRepo.dispatch(queued.id))?.lastError).toContain("not been read");
    await readBox();
    expect(await outbox.recover()).toBe(1);
    await outbox.runOnce();
    expect(smtp.sent).toHaveLength(1);
    expect((await world.services.dispatchRepo.dispatch(queued.id))?.outbox).toBe("submitted");
  });

  it("fails a recipient 24 hours after acceptance without a delivery receipt, and the report with it", async () => {
    const { outbox, mailbox, readBox } = pipeline();
    const queued = await dispatchNow();
    await outbox.runOnce();
    mailbox.deliver(await receipt(queued.messageId, { kind: "accettazione" }));
    mailbox.deliver(await receipt(queued.messageId, { kind: "avvenuta-consegna", recipient: ADDRESSES[0] }));
    await readBox();
    clock.advance(12 * HOUR);
    mailbox.deliver(
      await receipt(queued.messageId, {
        kind: "preavviso-errore-consegna",
        recipient: ADDRESSES[1],
        errore: "altro",
        erroreEsteso: "4.4.7 - Faccia PEC sandbox - tempo massimo di consegna in corso",
      }),
    );
    await readBox();
    let recipients = await world.services.dispatchRepo.recipients(queued.id);
    expect(recipients.find((r) => r.address === ADDRESSES[1])?.status).toBe("warned");
    expect(await reportStatus()).toBe("dispatched");
    clock.advance(12 * HOUR);
    await world.services.dispatchTracker.refreshOpen();
    recipients = await world.services.dispatchRepo.recipients(queued.id);
    expect(recipients.find((r) => r.address === ADDRESSES[1])).toMatchObject({ status: "failed" });
    expect(await reportStatus()).toBe("partially_delivered");

    // Sent again: only to the recipient still missing it.
    const again = await dispatchNow();
    expect(again.recipients.map((r) => r.address)).toEqual([ADDRESSES[1]]);
    expect(await reportStatus()).toBe("dispatched");
    // A late receipt about the first dispatch does not move the report off the new one.
    mailbox.deliver(
      await receipt(queued.messageId, { kind: "errore-consegna", recipient: ADDRESSES[1], errore: "no-dest" }),
    );
    await readBox();
    expect(await reportStatus()).toBe("dispatched");
  });

  it("a late consegna after the 24-hour failure is applied by the next pass, even if the pass that stored it died", async () => {
    const { outbox, mailbox, readBox } = pipeline();
    const queued = await dispatchNow();
    await outbox.runOnce();
    mailbox.deliver(await receipt(queued.messageId, { kind: "accettazione" }));
    await readBox();
    clock.advance(25 * HOUR);
    await world.services.dispatchTracker.refreshOpen();
    expect(await reportStatus()).toBe("failed");
    for (const recipient of ADDRESSES)
      mailbox.deliver(await receipt(queued.messageId, { kind: "avvenuta-consegna", recipient }));
    const dying = createMailboxSync({
      repo: world.services.dispatchRepo,
      settings: world.services.pecSettings,
      tracker: {
        ...world.services.dispatchTracker,
        refreshMany: async () => {
          throw new Error("process killed before recomputing");
        },
      },
      trust: world.trust,
      clock,
      log: silentLogger(),
    });
    const box = await world.services.pecSettings.box(world.org.entityId);
    await expect(dying.syncBox(box as NonNullable<typeof box>, mailbox.reader)).rejects.toThrow("process killed");
    expect(mailbox.inbox).toHaveLength(0);
    expect(await reportStatus()).toBe("failed");
    await world.services.dispatchTracker.refreshOpen();
    expect(await reportStatus()).toBe("delivered");
  });

  it("refuses a message over the provider's size × recipients limit and writes nothing", async () => {
    const { services } = world;
    const small = createDispatching({
      repo: services.dispatchRepo,
      settings: services.pecSettings,
      reports: services.reportsForDispatch,
      clock,
      maxMessageBytes: 100,
    });
    await expect(small.dispatchReport(world.org.ipaCode, reportId, "secretary")).rejects.toMatchObject({
      code: "PEC_MESSAGE_TOO_LARGE",
    });
    expect(await reportStatus()).toBe("signed");
    expect(await world.services.dispatchRepo.dispatches(world.org.entityId, reportId)).toHaveLength(0);
  });
});
