import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SKIP_WITHOUT_OPENSSL } from "../../../test/support/openssl-pki.js";
import { type DevCertificateSet, generateDevCertificates, Pkcs12Signer, type Signer } from "../../signature/index.js";
import { parsePecMessage } from "../parse-pec-message.js";
import { buildReceipt } from "./receipt-builder.js";
import type { SandboxReceiptInput, SandboxReceiptKind } from "./sandbox-receipt.js";

/**
 * Receipts made by the sandbox provider, read back by our own parser: classified, correlated,
 * signed by the dev PEC provider certificate and trusted against the dev CA; openssl agrees.
 */
const AT = new Date("2026-03-02T09:15:30Z");
const EC = { kind: "ec", namedCurve: "P-256" } as const;
const ORIGINAL = {
  messageId: "dispatch-42@faccia.example",
  from: "protocollo@pec.comune.example",
  to: ["mario.rossi@pec.sandbox.test", "anna.bianchi@pec.sandbox.test"],
  subject: "Notifica atto n. 42 — è urgente & <riservato>",
};
const ORIGINAL_MESSAGE = Buffer.from(
  [
    "Message-ID: <opec.sandbox.1@pec.sandbox.test>",
    "X-Riferimento-Message-ID: <dispatch-42@faccia.example>",
    "Subject: Notifica atto n. 42",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    "Gentile cittadino, è disponibile l'atto.",
    "",
  ].join("\r\n"),
  "utf8",
);

let certificates: DevCertificateSet;
let signer: Signer;

beforeAll(async () => {
  certificates = await generateDevCertificates({
    ipa: "c_demo",
    entityName: "Comune di Demo",
    now: AT,
    keys: { ca: EC, seal: EC, pecProvider: EC, samlSp: EC, tsa: EC },
  });
  signer = Pkcs12Signer.fromPkcs8(certificates.pecProvider.privateKey, [
    certificates.pecProvider.certificate,
    certificates.ca.certificate,
  ]);
});

function input(kind: SandboxReceiptKind, extra: Partial<SandboxReceiptInput> = {}): SandboxReceiptInput {
  return {
    kind,
    original: ORIGINAL,
    at: AT,
    provider: { domain: "pec.sandbox.test", name: "Faccia PEC sandbox" },
    identificativo: "opec.sandbox.1@pec.sandbox.test",
    ...extra,
  };
}

function parse(raw: Uint8Array) {
  const result = parsePecMessage(raw, { trust: [certificates.ca.certificate] });
  if (!result.ok) throw new Error(result.error.message);
  return result.message;
}

const RECIPIENT = "mario.rossi@pec.sandbox.test";
const CASES: [SandboxReceiptKind, Partial<SandboxReceiptInput>][] = [
  ["accettazione", {}],
  ["non-accettazione", { errore: "altro", erroreEsteso: "5.7.1 - Faccia PEC sandbox - mittente non autorizzato" }],
  ["avvenuta-consegna", { recipient: RECIPIENT, deliveryType: "completa", originalMessage: ORIGINAL_MESSAGE }],
  ["avvenuta-consegna", { recipient: RECIPIENT, deliveryType: "breve" }],
  ["avvenuta-consegna", { recipient: RECIPIENT, deliveryType: "sintetica" }],
  [
    "errore-consegna",
    { recipient: RECIPIENT, errore: "no-dest", erroreEsteso: "5.1.1 - sandbox - utente sconosciuto" },
  ],
  ["preavviso-errore-consegna", { recipient: RECIPIENT }],
];

describe("buildReceipt", () => {
  it.each(CASES)("builds a %s receipt that our parser classifies, correlates and trusts (%o)", async (kind, extra) => {
    const message = parse(await buildReceipt(input(kind, extra), signer));

    expect(message.type).toBe(kind);
    expect(message.references).toMatchObject({
      riferimentoMessageId: ORIGINAL.messageId,
      msgid: ORIGINAL.messageId,
      identificativo: "opec.sandbox.1@pec.sandbox.test",
    });
    expect(message.references.messageId).toMatch(/@pec\.sandbox\.test$/);
    expect(message.sender).toBe(ORIGINAL.from);
    expect(message.subject).toBe(ORIGINAL.subject);
    expect(message.recipients).toEqual(ORIGINAL.to.map((address) => ({ address, kind: "certificato" })));
    expect(message.time?.toISOString()).toBe(AT.toISOString());
    expect(message.daticert).not.toBeNull();
    expect(message.daticert?.provider).toBe("Faccia PEC sandbox");
    expect(message.daticert?.delivery).toBe(extra.recipient ?? null);
    expect(message.daticert?.error).toBe(extra.errore ?? "nessuno");
    expect(message.daticert?.extendedError).toBe(extra.erroreEsteso ?? null);
    expect(message.receiptDetail).toBe(kind === "avvenuta-consegna" ? extra.deliveryType : null);
    expect(message.signature).toMatchObject({ present: true, valid: true, trusted: true });
    expect(message.signature.signer).toContain("PEC sandbox provider");
    const expected = extra.erroreEsteso === undefined && extra.errore === undefined ? [] : ["DELIVERY_ERROR"];
    expect(message.problems.map((problem) => problem.code)).toEqual(expected);
  });

  it("writes the DM 2 novembre 2005 subject prefix and the PEC markers", async () => {
    const raw = Buffer.from(await buildReceipt(input("errore-consegna", { recipient: RECIPIENT }), signer));
    const head = raw.toString("latin1").split("\r\n\r\n")[0] ?? "";
    expect(head).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    expect(parse(raw).markers).toMatchObject({ ricevuta: "errore-consegna", tipoRicevuta: null });
    expect(head).toContain("From: <posta-certificata@pec.sandbox.test>");
    expect(head).toContain(`To: <${ORIGINAL.from}>`);
    const plain = await buildReceipt(input("accettazione", { original: { ...ORIGINAL, subject: "Atto 42" } }), signer);
    expect(Buffer.from(plain).toString("latin1")).toContain("\r\nSubject: ACCETTAZIONE: Atto 42\r\n");
  });

  it("uses CRLF line endings only, and base64 lines of at most 76 characters", async () => {
    const raw = Buffer.from(await buildReceipt(input("accettazione"), signer)).toString("latin1");
    expect(raw).not.toMatch(/[^\r]\n/);
    expect(raw.split("\r\n").every((line) => line.length <= 998)).toBe(true);
    const p7s = raw.split('filename="smime.p7s"\r\n\r\n')[1]?.split("\r\n--")[0] ?? "";
    expect(p7s.split("\r\n").every((line) => line.length <= 76)).toBe(true);
    expect(p7s.length).toBeGreaterThan(76);
  });

  it("carries the delivered message byte for byte as postacert.eml in a completa receipt", async () => {
    const extra = { recipient: RECIPIENT, originalMessage: ORIGINAL_MESSAGE };
    const message = parse(await buildReceipt(input("avvenuta-consegna", extra), signer));
    expect(Buffer.from(message.postacert ?? new Uint8Array()).equals(ORIGINAL_MESSAGE)).toBe(true);
    const breve = parse(await buildReceipt(input("avvenuta-consegna", { ...extra, deliveryType: "breve" }), signer));
    expect(breve.postacert).toBeNull();
  });

  it("is reproducible with an injected random token, and differs without one", async () => {
    let n = 0;
    const randomToken = () => `t${n++}`;
    const build = () => buildReceipt(input("accettazione"), signer, { randomToken });
    const first = Buffer.from(await build()).toString("latin1");
    n = 0;
    const second = Buffer.from(await build()).toString("latin1");
    // ECDSA signatures are randomised: compare everything but the smime.p7s body.
    const strip = (raw: string) => raw.replace(/filename="smime.p7s"[\s\S]*$/, "");
    expect(strip(first)).toBe(strip(second));
    expect(first).toContain('multipart/mixed; boundary="----=_sandbox_t0"');
    expect(first).toContain(
      'multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="----=_sandbox_t1"',
    );
    expect(first).toContain("Message-ID: <sandbox.t2@pec.sandbox.test>");
    const unseeded = await Promise.all(
      [1, 2].map(async () => strip(Buffer.from(await buildReceipt(input("accettazione"), signer)).toString("latin1"))),
    );
    expect(unseeded[0]).not.toBe(unseeded[1]);
  });

  it("reports a signature that no longer holds when one byte of the signed part changes", async () => {
    const raw = Buffer.from(await buildReceipt(input("accettazione"), signer));
    const notice = raw.indexOf('Content-Type: text/plain; charset="UTF-8"', 0, "latin1");
    expect(notice).toBeGreaterThan(0);
    const tampered = Buffer.from(raw);
    tampered[notice + 14] = "X".charCodeAt(0); // "text/plain" → "text/Xlain"
    const message = parse(tampered);
    expect(message.signature).toMatchObject({ present: true, valid: false, trusted: false });
    expect(message.problems.map((problem) => problem.code)).toContain("SIGNATURE_INVALID");
  });

  it("refuses a completa receipt without the message, and a delivery receipt without its recipient", async () => {
    await expect(buildReceipt(input("avvenuta-consegna", { recipient: RECIPIENT }), signer)).rejects.toThrow(
      /originalMessage/,
    );
    await expect(buildReceipt(input("errore-consegna"), signer)).rejects.toThrow(/recipient/);
  });

  it("writes a non-accettazione for a message without Message-ID with no reference to it", async () => {
    const original = { ...ORIGINAL, messageId: null };
    const raw = await buildReceipt(input("non-accettazione", { original }), signer);
    expect(Buffer.from(raw).toString("latin1")).not.toMatch(/X-Riferimento-Message-ID/i);
    const message = parse(raw);
    expect(message.type).toBe("non-accettazione");
    expect(message.references).toMatchObject({ riferimentoMessageId: null, msgid: null });
    expect(message.signature.trusted).toBe(true);
  });

  it("refuses header injection through the original's addresses", async () => {
    const original = { ...ORIGINAL, from: "a@b.example>\r\nBcc: <x@y.example" };
    await expect(buildReceipt(input("accettazione", { original }), signer)).rejects.toThrow(TypeError);
  });
});

describe.skipIf(SKIP_WITHOUT_OPENSSL)("buildReceipt, cross-checked with openssl", () => {
  it("produces an S/MIME signature that openssl smime -verify accepts against the dev CA", async () => {
    const dir = mkdtempSync(join(tmpdir(), "faccia-receipt-"));
    try {
      const extra = { recipient: RECIPIENT, originalMessage: ORIGINAL_MESSAGE };
      writeFileSync(join(dir, "receipt.eml"), await buildReceipt(input("avvenuta-consegna", extra), signer));
      const der = Buffer.from(certificates.ca.certificate).toString("base64").replace(/.{64}/g, "$&\n");
      writeFileSync(join(dir, "ca.pem"), `-----BEGIN CERTIFICATE-----\n${der}\n-----END CERTIFICATE-----\n`);
      const args = ["smime", "-verify", "-in", "receipt.eml", "-CAfile", "ca.pem", "-purpose", "any"];
      const result = spawnSync("openssl", [...args, "-attime", String(AT.getTime() / 1000)], { cwd: dir });
      expect(result.stderr.toString()).toContain("Verification successful");
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
