/**
 * The sandbox provider's receipts (DM 2 novembre 2005, Allegato §3–§5; RFC 6109 §3): ricevuta di
 * accettazione, avviso di non accettazione, ricevuta di avvenuta consegna, avviso di mancata
 * consegna and its 12-hour preavviso. Each is an RFC 5322 message with CRLF line endings, signed
 * as S/MIME with the provider certificate in the shape of `./signed-message.ts`: the notice,
 * daticert.xml, and `postacert.eml` in an avvenuta-consegna "completa" only.
 */
import type { Signer } from "../../signature/index.js";
import { writeDaticert } from "./daticert-writer.js";
import { angleAddr, crlf, encodeHeaderText, headerLine } from "./mime-text.js";
import { PROVIDER_TIME_ZONE, providerTime } from "./provider-time.js";
import { receiptNotice } from "./receipt-notice.js";
import type { SandboxReceiptInput, SandboxReceiptKind } from "./sandbox-receipt.js";
import { buildSignedMessage, randomToken } from "./signed-message.js";

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

/** The 24-hour avviso di mancata consegna carries the same prefix as the 12-hour preavviso (reference/pec.md §2). */
const TIMEOUT_PREFIX = "AVVISO DI MANCATA CONSEGNA PER SUP. TEMPO MASSIMO";

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
  const token = options.randomToken ?? randomToken;
  const parts = {
    headers: () => topHeaders(input, token),
    notice: receiptNotice(input),
    daticert: writeDaticert(daticertInput(input)),
    postacert: postacertOf(input),
    at: input.at,
  };
  return buildSignedMessage(parts, signer, token);
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
  const prefix = kind === "errore-consegna" && input.timeout === true ? TIMEOUT_PREFIX : SUBJECT_PREFIX[kind];
  const subject = `${prefix}${virus}: ${original.subject}`;
  const headers = [
    headerLine("Message-ID", angleAddr(input.messageId ?? `sandbox.${token()}@${provider.domain}`)),
    headerLine("Date", time.rfc5322),
    headerLine("From", angleAddr(`posta-certificata@${provider.domain}`)),
    headerLine("To", angleAddr(original.from)),
    headerLine("Subject", encodeHeaderText(subject)),
    headerLine("X-Ricevuta", kind),
  ];
  // A message submitted without a Message-ID (refused for it) has nothing to refer to.
  if (original.messageId !== null) headers.push(headerLine("X-Riferimento-Message-ID", angleAddr(original.messageId)));
  if (kind === "avvenuta-consegna") headers.push(headerLine("X-TipoRicevuta", input.deliveryType ?? "completa"));
  if (virus !== "") headers.push(headerLine("X-VerificaSicurezza", "errore"));
  return headers;
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
