import { beforeAll, describe, expect, it } from "vitest";
import { pecProviderKeys } from "../../../test/support/pec-provider-keys.js";
import type { Signer } from "../../signature/index.js";
import { parsePecMessage } from "../parse-pec-message.js";
import { buildAnomalyEnvelope } from "./anomaly-builder.js";
import { buildTransportEnvelope, deliveredMessage } from "./envelope-builder.js";
import type { Submission } from "./submission.js";

/** The busta di trasporto and the busta di anomalia, read back by our own parser. */
const AT = new Date("2026-03-02T09:15:30Z");
const PROVIDER = { domain: "pec.sandbox.test", name: "Faccia PEC sandbox" };
const IDENTIFICATIVO = "opec2.20260302101530.01234.1.1.7@pec.sandbox.test";
const ORIGINAL = Buffer.from(
  [
    "From: protocollo@pec.sandbox.test",
    "To: mario@pec.sandbox.test",
    "Message-ID:",
    " <dispatch-42@faccia.example>",
    "X-Riferimento-Message-ID: <forged@elsewhere.example>",
    "Subject: Atto 42",
    "",
    "Gentile cittadino,",
    "è disponibile l'atto.",
    "",
  ].join("\n"),
  "utf8",
);
const SUBMISSION: Omit<Submission, "raw"> = {
  messageId: "dispatch-42@faccia.example",
  from: "protocollo@pec.sandbox.test",
  to: ["mario@pec.sandbox.test"],
  cc: ["anna@pec.sandbox.test"],
  subject: "Atto 42 — è pronto",
  replyTo: null,
  deliveryType: "breve",
  deliveryTypeRequested: true,
};

let ca: Uint8Array;
let signer: Signer;

beforeAll(async () => {
  ({ ca, signer } = await pecProviderKeys(AT));
});

function parse(raw: Uint8Array) {
  const result = parsePecMessage(raw, { trust: [ca] });
  if (!result.ok) throw new Error(result.error.message);
  return result.message;
}

const headOf = (raw: Uint8Array) => Buffer.from(raw).toString("latin1").split("\r\n\r\n")[0] ?? "";

describe("deliveredMessage", () => {
  it("puts the identificativo in Message-ID and the submitted id in X-Riferimento-Message-ID, body untouched", () => {
    const text = Buffer.from(deliveredMessage(ORIGINAL, IDENTIFICATIVO, SUBMISSION.messageId)).toString("utf8");
    const [head, ...body] = text.split("\r\n\r\n");
    expect(head?.split("\r\n")).toEqual([
      "From: protocollo@pec.sandbox.test",
      "To: mario@pec.sandbox.test",
      "Subject: Atto 42",
      `Message-ID: <${IDENTIFICATIVO}>`,
      "X-Riferimento-Message-ID: <dispatch-42@faccia.example>",
    ]);
    expect(body.join("\r\n\r\n")).toBe("Gentile cittadino,\r\nè disponibile l'atto.\r\n");
  });
});

describe("buildTransportEnvelope", () => {
  it("is a signed posta-certificata our parser correlates, carrying the original as delivered", async () => {
    const delivered = deliveredMessage(ORIGINAL, IDENTIFICATIVO, SUBMISSION.messageId);
    const input = { submission: SUBMISSION, delivered, identificativo: IDENTIFICATIVO, at: AT, provider: PROVIDER };
    const raw = await buildTransportEnvelope(input, signer);
    const message = parse(raw);
    expect(message.type).toBe("posta-certificata");
    expect(message.references).toEqual({
      messageId: IDENTIFICATIVO,
      riferimentoMessageId: SUBMISSION.messageId,
      msgid: SUBMISSION.messageId,
      identificativo: IDENTIFICATIVO,
    });
    expect(message.sender).toBe(SUBMISSION.from);
    expect(message.subject).toBe(SUBMISSION.subject);
    expect(message.receiptDetail).toBe("breve");
    expect(message.recipients.map((recipient) => recipient.address)).toEqual([
      "mario@pec.sandbox.test",
      "anna@pec.sandbox.test",
    ]);
    expect(Buffer.from(message.postacert ?? []).equals(Buffer.from(delivered))).toBe(true);
    expect(message.signature).toMatchObject({ present: true, valid: true, trusted: true });
    expect(message.problems).toEqual([]);
    const head = headOf(raw);
    expect(head).toContain('From: "Per conto di: protocollo@pec.sandbox.test" <posta-certificata@pec.sandbox.test>');
    expect(head).toContain("Reply-To: <protocollo@pec.sandbox.test>");
    expect(head).toContain("Cc: <anna@pec.sandbox.test>");
    expect(head).toContain("X-Trasporto: posta-certificata");
    expect(head).toContain("X-TipoRicevuta: breve");
  });

  it("writes no X-TipoRicevuta when the sender asked for none", async () => {
    const submission = { ...SUBMISSION, deliveryType: "completa", deliveryTypeRequested: false } as const;
    const delivered = deliveredMessage(ORIGINAL, IDENTIFICATIVO, SUBMISSION.messageId);
    const raw = await buildTransportEnvelope(
      { submission, delivered, identificativo: IDENTIFICATIVO, at: AT, provider: PROVIDER },
      signer,
    );
    expect(headOf(raw)).not.toMatch(/X-TipoRicevuta/i);
    expect(parse(raw).receiptDetail).toBe("completa");
  });
});

describe("buildAnomalyEnvelope", () => {
  it("wraps ordinary mail as ANOMALIA MESSAGGIO, signed, without daticert", async () => {
    const plain = Buffer.from(
      "From: Cittadino <mario@gmail.example>\nTo: protocollo@pec.sandbox.test\nSubject: Domanda\nMessage-ID: <m1@gmail.example>\n\nBuongiorno\n",
    );
    const raw = await buildAnomalyEnvelope(
      { message: plain, error: "messaggio non certificato", at: AT, provider: PROVIDER },
      signer,
    );
    const message = parse(raw);
    expect(message.type).toBe("errore");
    expect(message.subject).toBe("Domanda");
    expect(message.sender).toBe("mario@gmail.example");
    expect(message.references.messageId).toBe("m1@gmail.example");
    expect(Buffer.from(message.postacert ?? []).toString()).toBe(plain.toString().replaceAll("\n", "\r\n"));
    expect(message.signature).toMatchObject({ present: true, valid: true, trusted: true });
    expect(message.problems.map((problem) => problem.code)).toEqual(["DATICERT_MISSING"]);
    const head = headOf(raw);
    expect(head).toContain("Subject: ANOMALIA MESSAGGIO: Domanda");
    expect(head).toContain("X-Trasporto: errore");
    expect(head).toContain('From: "Per conto di: mario@gmail.example" <posta-certificata@pec.sandbox.test>');
  });
});
