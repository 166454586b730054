import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { ANNA, MARIO, SANDBOX_AT, SENDER, sandboxHarness } from "../../../test/support/sandbox-harness.js";

/**
 * The sandbox provider end to end: nodemailer submits over SMTP with AUTH, the provider writes
 * signed receipts and envelopes into Maildirs, our parser reads them back and trusts the dev CA.
 */
const AT = SANDBOX_AT;
const harness = sandboxHarness();
const { client } = harness;
const sandbox = harness.start;

const mail = (extra: Record<string, unknown> = {}) => ({
  from: SENDER,
  to: [MARIO, ANNA],
  subject: "Relazione mensile — marzo",
  text: "In allegato la relazione.",
  messageId: "<dispatch-1@faccia.example>",
  ...extra,
});

describe("startSandboxProvider: happy path", () => {
  it("accepts, delivers to two boxes and writes one accettazione and two consegne, all correlated and trusted", async () => {
    const { provider, box } = await sandbox();
    const info = await client(provider).sendMail(mail());
    expect(info.response).toMatch(/^250 Ok: queued as opec2\.20260302101530\.\d{5}\.1\.1\.\d+@pec\.sandbox\.test$/);
    await provider.idle();

    const receipts = await box(SENDER);
    expect(receipts.map((message) => message.type)).toEqual(["accettazione", "avvenuta-consegna", "avvenuta-consegna"]);
    const identificativo = receipts[0]?.references.identificativo;
    expect(identificativo).toMatch(/^opec2\./);
    for (const message of receipts) {
      expect(message.references).toMatchObject({ riferimentoMessageId: "dispatch-1@faccia.example", identificativo });
      expect(message.signature).toMatchObject({ present: true, valid: true, trusted: true });
      expect(message.problems).toEqual([]);
      expect(message.time?.toISOString()).toBe(AT.toISOString());
    }
    expect(receipts.slice(1).map((message) => [message.daticert?.delivery, message.receiptDetail])).toEqual([
      [MARIO, "completa"],
      [ANNA, "completa"],
    ]);

    for (const recipient of [MARIO, ANNA]) {
      const [envelope, ...rest] = await box(recipient);
      expect(rest).toEqual([]);
      expect(envelope?.type).toBe("posta-certificata");
      expect(envelope?.references).toEqual({
        messageId: identificativo,
        riferimentoMessageId: "dispatch-1@faccia.example",
        msgid: "dispatch-1@faccia.example",
        identificativo,
      });
      expect(envelope?.signature).toMatchObject({ valid: true, trusted: true });
      const inner = Buffer.from(envelope?.postacert ?? []).toString("utf8");
      expect(inner).toContain(`Message-ID: <${identificativo}>`);
      expect(inner).toContain("X-Riferimento-Message-ID: <dispatch-1@faccia.example>");
    }
    // The completa receipt carries the original exactly as the recipient got it.
    const [envelope] = await box(MARIO);
    expect(Buffer.from(receipts[1]?.postacert ?? []).equals(Buffer.from(envelope?.postacert ?? []))).toBe(true);
  });

  it("writes breve or sintetica receipts as X-TipoRicevuta asks, and sintetica for Cc recipients", async () => {
    const { provider, box } = await sandbox();
    const transport = client(provider);
    await transport.sendMail(mail({ to: [MARIO], cc: [ANNA], headers: { "X-TipoRicevuta": "breve" } }));
    await transport.sendMail(
      mail({ to: [MARIO], messageId: "<dispatch-2@faccia.example>", headers: { "X-TipoRicevuta": "sintetica" } }),
    );
    await provider.idle();
    const consegne = (await box(SENDER)).filter((message) => message.type === "avvenuta-consegna");
    expect(
      consegne.map((message) => [
        message.references.riferimentoMessageId,
        message.daticert?.delivery,
        message.receiptDetail,
      ]),
    ).toEqual([
      ["dispatch-1@faccia.example", MARIO, "breve"],
      ["dispatch-1@faccia.example", ANNA, "sintetica"],
      ["dispatch-2@faccia.example", MARIO, "sintetica"],
    ]);
    expect(consegne.every((message) => message.postacert === null)).toBe(true);
    expect(consegne.every((message) => message.markers.tipoRicevuta === message.receiptDetail)).toBe(true);
  });

  it("answers an unknown box in the domain with errore-consegna no-dest, another domain with no-dominio", async () => {
    const users = new Map([
      [SENDER, "pw"],
      [MARIO, "pw"],
    ]);
    const { provider, box } = await sandbox({ users, providerName: "Sandbox SpA" });
    await client(provider, SENDER, "pw").sendMail(mail({ to: [MARIO, ANNA, "x@pec.altrove.test"] }));
    await provider.idle();
    const receipts = await box(SENDER);
    expect(receipts.map((message) => [message.type, message.daticert?.delivery, message.daticert?.error])).toEqual([
      ["accettazione", null, "nessuno"],
      ["avvenuta-consegna", MARIO, "nessuno"],
      ["errore-consegna", ANNA, "no-dest"],
      ["errore-consegna", "x@pec.altrove.test", "no-dominio"],
    ]);
    expect(receipts[2]?.daticert?.extendedError).toBe("5.1.1 - Sandbox SpA - indirizzo non valido");
    expect(receipts.every((message) => message.signature.trusted)).toBe(true);
    expect(await box(ANNA)).toEqual([]);
  });
});

describe("startSandboxProvider: refusals", () => {
  it("refuses a wrong password at AUTH", async () => {
    const { provider } = await sandbox();
    await expect(client(provider, SENDER, "wrong").sendMail(mail())).rejects.toMatchObject({
      code: "EAUTH",
      responseCode: 535,
    });
  });

  it("refuses MAIL FROM other than the authenticated box with Aruba's 553 5.7.1", async () => {
    const { provider, box } = await sandbox();
    const sent = client(provider).sendMail(mail({ envelope: { from: MARIO, to: [ANNA] } }));
    await expect(sent).rejects.toMatchObject({
      responseCode: 553,
      response: `553 5.7.1 <${MARIO}>: Sender address rejected: not owned by user ${SENDER}`,
    });
    await provider.idle();
    expect(await box(SENDER)).toEqual([]);
  });

  it("answers a Bcc recipient with 250 and an avviso di non accettazione, and delivers nothing", async () => {
    const { provider, box } = await sandbox();
    const info = await client(provider).sendMail(mail({ to: [MARIO], bcc: [ANNA] }));
    expect(info.response).toMatch(/^250 /);
    await provider.idle();
    const [notice, ...rest] = await box(SENDER);
    expect(rest).toEqual([]);
    expect(notice?.type).toBe("non-accettazione");
    expect(notice?.references.riferimentoMessageId).toBe("dispatch-1@faccia.example");
    expect(notice?.daticert?.extendedError).toMatch(/^5\.7\.1 - .* - destinatari in copia nascosta/);
    expect(notice?.signature.trusted).toBe(true);
    expect([...(await box(MARIO)), ...(await box(ANNA))]).toEqual([]);
  });

  it("refuses size × recipients above the limit with 552 at DATA, and writes nothing", async () => {
    const { provider, box } = await sandbox({ maxBytes: 10_000 });
    const text = "x".repeat(6_000);
    await client(provider).sendMail(mail({ to: [MARIO], text })); // 6 kB × 1: fine
    await expect(client(provider).sendMail(mail({ text, messageId: "<big@faccia.example>" }))).rejects.toMatchObject({
      responseCode: 552,
    });
    await provider.idle();
    const references = (await box(SENDER)).map((message) => message.references.riferimentoMessageId);
    expect(references).toEqual(["dispatch-1@faccia.example", "dispatch-1@faccia.example"]);
  });

  it("refuses RCPT TO beyond the recipient limit with 452; the rest then fails the To check", async () => {
    const { provider, box } = await sandbox({ maxRecipients: 1 });
    const info = await client(provider).sendMail(mail());
    expect(info.rejected).toEqual([ANNA]);
    expect(info).toMatchObject({
      rejectedErrors: [{ responseCode: 452, response: "452 4.5.3 Error: too many recipients" }],
    });
    await provider.idle();
    const [notice] = await box(SENDER);
    expect(notice?.type).toBe("non-accettazione");
    expect(notice?.daticert?.extendedError).toMatch(/^5\.1\.3 /);
  });

  it("refuses to submit without AUTH", async () => {
    const { provider } = await sandbox();
    const transport = nodemailer.createTransport({
      host: provider.host,
      port: provider.port,
      secure: false,
      ignoreTLS: true,
    });
    harness.cleanup(() => transport.close());
    await expect(transport.sendMail(mail())).rejects.toMatchObject({ responseCode: 530 });
  });
});
