import { statSync } from "node:fs";
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { ANNA, MARIO, SANDBOX_AT, SENDER, sandboxHarness } from "../../../test/support/sandbox-harness.js";
import { MANCATA_CONSEGNA_AFTER_MS, PREAVVISO_AFTER_MS } from "./post-office.js";
import type { SandboxProviderOptions } from "./sandbox-provider.js";

/** Fault injection and the 12/24-hour deadlines, driven by a fixed clock (no sleeps but the delay fault's own). */
const AT = SANDBOX_AT;
const harness = sandboxHarness();
const { parse } = harness;

/** A provider with a client logged in as the sender, and a `send` of one two-recipient message. */
async function sandbox(options: Partial<SandboxProviderOptions> = {}) {
  const started = await harness.start(options);
  const transport = harness.client(started.provider);
  const send = (extra: Record<string, unknown> = {}) =>
    transport.sendMail({
      from: SENDER,
      to: [MARIO, ANNA],
      subject: "Relazione",
      text: "In allegato.",
      messageId: "<dispatch-1@faccia.example>",
      ...extra,
    });
  return { ...started, send };
}

const kindsAndRecipients = (messages: ReturnType<typeof parse>[]) =>
  messages.map((message) => [message.type, message.daticert?.delivery ?? null]);

describe("sandbox faults", () => {
  it("delay: writes the receipts receiptDelayMs after the envelopes", async () => {
    const { provider, files, send } = await sandbox({ faults: { receiptDelayMs: 150 } });
    await send();
    await provider.idle();
    const [envelope] = await files(MARIO);
    const [accettazione] = await files(SENDER);
    const gap = statSync(accettazione?.path ?? "").mtimeMs - statSync(envelope?.path ?? "").mtimeMs;
    expect(gap).toBeGreaterThanOrEqual(140);
  });

  it("drop: receipts of the dropped kinds are never written, envelopes still are", async () => {
    const { provider, box, send } = await sandbox();
    provider.setFaults({ drop: ["avvenuta-consegna"] });
    await send();
    await provider.idle();
    expect(kindsAndRecipients(await box(SENDER))).toEqual([["accettazione", null]]);
    expect((await box(MARIO)).map((message) => message.type)).toEqual(["posta-certificata"]);
  });

  it("duplicate: every receipt twice, byte for byte, same Message-ID", async () => {
    const { provider, files, send } = await sandbox({ faults: { duplicate: true } });
    await send({ to: [MARIO] });
    await provider.idle();
    const written = await files(SENDER);
    expect(written.map((file) => parse(file.bytes).type)).toEqual([
      "accettazione",
      "accettazione",
      "avvenuta-consegna",
      "avvenuta-consegna",
    ]);
    expect(Buffer.from(written[0]?.bytes ?? []).equals(Buffer.from(written[1]?.bytes ?? []))).toBe(true);
    expect(new Set(written.map((file) => parse(file.bytes).references.messageId)).size).toBe(2);
    expect(await files(MARIO)).toHaveLength(1);
  });

  it("reorder: the consegne come before the accettazione", async () => {
    const { provider, box, send } = await sandbox({ faults: { reorder: true } });
    await send();
    await provider.idle();
    expect(kindsAndRecipients(await box(SENDER))).toEqual([
      ["avvenuta-consegna", MARIO],
      ["avvenuta-consegna", ANNA],
      ["accettazione", null],
    ]);
  });

  it("rejectRecipients: an existing box gets no envelope and the sender an errore-consegna no-dest", async () => {
    const { provider, box, send } = await sandbox({ faults: { rejectRecipients: [ANNA.toUpperCase()] } });
    await send();
    await provider.idle();
    const receipts = await box(SENDER);
    expect(kindsAndRecipients(receipts)).toEqual([
      ["accettazione", null],
      ["avvenuta-consegna", MARIO],
      ["errore-consegna", ANNA],
    ]);
    expect(receipts[2]?.daticert).toMatchObject({
      error: "no-dest",
      extendedError: expect.stringMatching(/^5\.1\.1 /),
    });
    expect(await box(ANNA)).toEqual([]);
  });

  it("down: refuses new connections with 421, and commands on an open one; back up, it accepts again", async () => {
    const { provider, box, send } = await sandbox();
    provider.setFaults({ down: true });
    await expect(send()).rejects.toMatchObject({ responseCode: 421 });
    provider.setFaults({ down: false });
    await send();
    await provider.idle();
    expect((await box(SENDER)).map((message) => message.type)[0]).toBe("accettazione");

    const pooled = nodemailer.createTransport({
      pool: true,
      maxConnections: 1,
      host: provider.host,
      port: provider.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: SENDER, pass: "sandbox" },
    });
    harness.cleanup(() => pooled.close());
    const message = { from: SENDER, to: [MARIO], subject: "Pool", text: "x", messageId: "<pool@faccia.example>" };
    await pooled.sendMail(message);
    provider.setFaults({ down: true });
    await expect(pooled.sendMail(message)).rejects.toMatchObject({ responseCode: 421, command: "MAIL FROM" });
  });
});

describe("sandbox deadlines (fault holdDelivery)", () => {
  it("issues the preavviso at 12 hours and the final avviso at 24, each once", async () => {
    const { provider, clock, box, files, send } = await sandbox({ faults: { holdDelivery: [ANNA] } });
    await send();
    await provider.idle();
    expect(kindsAndRecipients(await box(SENDER))).toEqual([
      ["accettazione", null],
      ["avvenuta-consegna", MARIO],
    ]);
    expect(await box(ANNA)).toEqual([]);

    clock.set(new Date(AT.getTime() + PREAVVISO_AFTER_MS - 1000));
    expect(await provider.runDeadlines()).toBe(0);
    clock.set(new Date(AT.getTime() + PREAVVISO_AFTER_MS));
    expect(await provider.runDeadlines()).toBe(1);
    expect(await provider.runDeadlines()).toBe(0);
    const preavviso = (await box(SENDER))[2];
    expect(preavviso?.type).toBe("preavviso-errore-consegna");
    expect(preavviso?.daticert).toMatchObject({ delivery: ANNA, extendedError: expect.stringMatching(/^4\.4\.7 /) });
    expect(preavviso?.references.riferimentoMessageId).toBe("dispatch-1@faccia.example");
    expect(preavviso?.signature.trusted).toBe(true);

    clock.set(new Date(AT.getTime() + MANCATA_CONSEGNA_AFTER_MS));
    expect(await provider.runDeadlines()).toBe(1);
    clock.advance(60 * 60 * 1000);
    expect(await provider.runDeadlines()).toBe(0);
    const receipts = await box(SENDER);
    expect(receipts).toHaveLength(4);
    expect(receipts[3]?.type).toBe("errore-consegna");
    expect(receipts[3]?.daticert).toMatchObject({ delivery: ANNA, error: "altro" });
    expect(receipts[3]?.daticert?.extendedError).toMatch(/^5\.4\.7 .*tempo massimo superato/);
    expect(receipts[3]?.references.identificativo).toBe(receipts[0]?.references.identificativo);
    const avviso = Buffer.from((await files(SENDER))[3]?.bytes ?? []).toString("latin1");
    expect(avviso).toContain("\r\nSubject: AVVISO DI MANCATA CONSEGNA PER SUP. TEMPO MASSIMO: Relazione\r\n");
    expect(await box(ANNA)).toEqual([]);
  });

  it("issues both at once when first run after 24 hours", async () => {
    const { provider, clock, box, send } = await sandbox({ faults: { holdDelivery: [MARIO, ANNA] } });
    await send({ to: [MARIO] });
    await provider.idle();
    clock.advance(MANCATA_CONSEGNA_AFTER_MS + 1);
    expect(await provider.runDeadlines()).toBe(2);
    expect(kindsAndRecipients(await box(SENDER))).toEqual([
      ["accettazione", null],
      ["preavviso-errore-consegna", MARIO],
      ["errore-consegna", MARIO],
    ]);
  });

  it("delivers a held message once the hold is lifted, with the same identificativo", async () => {
    const { provider, clock, box, send } = await sandbox({ faults: { holdDelivery: [ANNA] } });
    await send();
    await provider.idle();
    clock.advance(PREAVVISO_AFTER_MS);
    provider.setFaults({ holdDelivery: [] });
    expect(await provider.runDeadlines()).toBe(1);
    const receipts = await box(SENDER);
    expect(kindsAndRecipients(receipts).at(-1)).toEqual(["avvenuta-consegna", ANNA]);
    const [envelope] = await box(ANNA);
    expect(envelope?.references.identificativo).toBe(receipts[0]?.references.identificativo);
  });
});

describe("busta di anomalia", () => {
  it("wraps ordinary mail for sandbox boxes and skips addresses it does not keep", async () => {
    const { provider, box } = await sandbox();
    const plain = Buffer.from(
      `From: cittadino@gmail.example\r\nTo: ${MARIO}, altro@gmail.example\r\nSubject: Domanda\r\n\r\nBuongiorno\r\n`,
    );
    expect(await provider.deliverPlainMail(plain)).toEqual([MARIO]);
    const [anomaly, ...rest] = await box(MARIO);
    expect(rest).toEqual([]);
    expect(anomaly?.type).toBe("errore");
    expect(anomaly?.subject).toBe("Domanda");
    expect(anomaly?.signature).toMatchObject({ valid: true, trusted: true });
    expect(Buffer.from(anomaly?.postacert ?? []).equals(plain)).toBe(true);
  });
});
