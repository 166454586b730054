/**
 * The sandbox provider's receipts (DM 2 novembre 2005, Allegato §3–§5; RFC 6109 §3): ricevuta di
 * accettazione, avviso di non accettazione, ricevuta di avvenuta consegna, avviso di mancata
 * consegna and its 12-hour preavviso. Each is an RFC 5322 message with CRLF line endings, signed
 * as S/MIME (RFC 5751 §3.5 multipart/signed) with the provider certificate:
 *
 * ```
 * multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256
 * ├─ multipart/mixed
 * │  ├─ text/plain; charset=UTF-8           the notice, in Italian
 * │  ├─ application/xml; name=daticert.xml
 * │  └─ message/rfc822; name=postacert.eml  avvenuta-consegna "completa" only
 * └─ application/pkcs7-signature; name=smime.p7s   detached CAdES over the first part
 * ```
 */
import { randomBytes } from "node:crypto";
import { type Signer, signCades } from "../../signature/index.js";
import { writeDaticert } from "./daticert-writer.js";
import { angleAddr, base64Lines, crlf, encodeHeaderText, headerLine, isSevenBit } from "./mime-text.js";
import { PROVIDER_TIME_ZONE, providerTime } from "./provider-time.js";
import { receiptNotice } from "./receipt-notice.js";
import type { SandboxReceiptInput, SandboxReceiptKind } from "./sandbox-receipt.js";

export interface SandboxReceiptOptions {
  /** Random token for boundaries and the default Message-ID; inject for reproducible bytes. */
  readonly randomToken?: () => string;
}

/** Subject prefixes, reference/pec.md §2 (the PER VIRUS variants when `errore` is `virus`). */
const SUBJECT_PREFIX: Readonly<Record<SandboxReceiptKind, string>> = {
  accettazione: "ACCETTAZIONE",
  "non-accettazione": "AVVISO DI NON ACCETTAZIONE",
  "avvenuta-consegna": "CONSEGNA",
  "errore-consegna": "AVVISO DI MANCATA CONSEGNA",
  "preavviso-errore-consegna": "AVVISO DI MANCATA CONSEGNA PER SUP. TEMPO MASSIMO",
};

const CRLF = "\r\n";

/**
 * @example
 * const raw = await buildReceipt({ kind: "accettazione", original, at: clock.now(),
 *   provider: { domain: "pec.sandbox.test", name: "Faccia PEC sandbox" }, identificativo }, signer);
 */
export async function buildReceipt(
  input: SandboxReceiptInput,
  signer: Signer,
  options: SandboxReceiptOptions = {},
): Promise<Uint8Array> {
  const token = options.randomToken ?? (() => randomBytes(12).toString("hex"));
  const postacert = postacertOf(input);
  const content = signedContent(input, postacert, token);
  const p7s = await signCades(content, signer, { detached: true, signingTime: input.at });
  const outer = uniqueBoundary(token, [content]);
  const head = topHeaders(input, token).concat([
    "MIME-Version: 1.0",
    `Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="${outer}"`,
    "",
    "This is an S/MIME signed message",
    "",
    `--${outer}`,
    "",
  ]);
  const signature = [
    "",
    `--${outer}`,
    'Content-Type: application/pkcs7-signature; name="smime.p7s"',
    "Content-Transfer-Encoding: base64",
    'Content-Disposition: attachment; filename="smime.p7s"',
    "",
    base64Lines(p7s),
    `--${outer}--`,
    "",
  ];
  return Buffer.concat([Buffer.from(head.join(CRLF), "utf8"), content, Buffer.from(signature.join(CRLF), "latin1")]);
}

function postacertOf(input: SandboxReceiptInput): Uint8Array | null {
  if (input.kind !== "avvenuta-consegna" || (input.deliveryType ?? "completa") !== "completa") return null;
  if (input.originalMessage === undefined) throw new TypeError("a completa delivery receipt needs originalMessage");
  return crlf(input.originalMessage);
}

/** RFC 5322 §3.6 plus the PEC markers (RFC 6109 §3.1); From is the provider's own box. */
function topHeaders(input: SandboxReceiptInput, token: () => string): string[] {
  const { kind, original, provider } = input;
  const time = providerTime(input.at, provider.timeZone ?? PROVIDER_TIME_ZONE);
  const virus = input.errore === "virus" && kind !== "preavviso-errore-consegna" ? " PER VIRUS" : "";
  const subject = `${SUBJECT_PREFIX[kind]}${virus}: ${original.subject}`;
  const headers = [
    headerLine("Message-ID", angleAddr(input.messageId ?? `sandbox.${token()}@${provider.domain}`)),
    headerLine("Date", time.rfc5322),
    headerLine("From", angleAddr(`posta-certificata@${provider.domain}`)),
    headerLine("To", angleAddr(original.from)),
    headerLine("Subject", encodeHeaderText(subject)),
    headerLine("X-Ricevuta", kind),
    headerLine("X-Riferimento-Message-ID", angleAddr(original.messageId)),
  ];
  if (kind === "avvenuta-consegna") headers.push(headerLine("X-TipoRicevuta", input.deliveryType ?? "completa"));
  if (virus !== "") headers.push(headerLine("X-VerificaSicurezza", "errore"));
  return headers;
}

/** The first part of the multipart/signed: the exact bytes the signature covers (RFC 5751 §3.5). */
function signedContent(input: SandboxReceiptInput, postacert: Uint8Array | null, token: () => string): Buffer {
  const notice = new TextEncoder().encode(receiptNotice(input));
  const daticert = writeDaticert(daticertInput(input));
  const boundary = uniqueBoundary(token, postacert === null ? [] : [postacert]);
  const lines = [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    ...base64Part('text/plain; charset="UTF-8"', "inline", notice),
    `--${boundary}`,
    ...base64Part('application/xml; name="daticert.xml"', 'inline; filename="daticert.xml"', daticert),
  ];
  if (postacert === null) return Buffer.from([...lines, `--${boundary}--`].join(CRLF), "utf8");
  lines.push(
    `--${boundary}`,
    'Content-Type: message/rfc822; name="postacert.eml"',
    `Content-Transfer-Encoding: ${isSevenBit(postacert) ? "7bit" : "8bit"}`,
    'Content-Disposition: inline; filename="postacert.eml"',
    "",
    "",
  );
  const close = Buffer.from(`${CRLF}--${boundary}--`, "utf8");
  return Buffer.concat([Buffer.from(lines.join(CRLF), "utf8"), postacert, close]);
}

function daticertInput(input: SandboxReceiptInput) {
  const { kind, original } = input;
  const aboutRecipient = kind === "avvenuta-consegna" || kind === "errore-consegna";
  if (aboutRecipient && input.recipient === undefined) throw new TypeError(`a ${kind} receipt needs the recipient`);
  const failure = kind === "non-accettazione" || kind === "errore-consegna";
  return {
    type: kind,
    error: input.errore ?? (failure ? "altro" : "nessuno"),
    sender: original.from,
    recipients: original.to.map((address) => ({ address, kind: "certificato" as const })),
    subject: original.subject,
    provider: input.provider.name,
    at: input.at,
    timeZone: input.provider.timeZone ?? PROVIDER_TIME_ZONE,
    identificativo: input.identificativo,
    msgid: original.messageId,
    receiptDetail: kind === "avvenuta-consegna" ? (input.deliveryType ?? "completa") : null,
    delivery: aboutRecipient || kind === "preavviso-errore-consegna" ? (input.recipient ?? null) : null,
    extendedError: input.erroreEsteso ?? null,
  };
}

function base64Part(contentType: string, disposition: string, body: Uint8Array): string[] {
  return [
    `Content-Type: ${contentType}`,
    "Content-Transfer-Encoding: base64",
    `Content-Disposition: ${disposition}`,
    "",
    base64Lines(body),
  ];
}

/** RFC 2046 §5.1.1: the boundary must not occur in the enclosed parts; draw again until it does not. */
function uniqueBoundary(token: () => string, bodies: readonly Uint8Array[]): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const boundary = `----=_sandbox_${token()}`;
    if (bodies.every((body) => !Buffer.from(body).includes(boundary, 0, "latin1"))) return boundary;
  }
  throw new Error("no boundary absent from the content after 8 attempts");
}
