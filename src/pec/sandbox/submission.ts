/**
 * The punto di accesso's formal checks on a submitted message (RFC 6109 §3.1.1; DM 2 novembre
 * 2005, Allegato; reference/pec.md §6): From is one address, the authenticated box; To is not
 * empty; the SMTP recipients are exactly To ∪ Cc (no Bcc); a Message-ID is there to refer to.
 * A failure is a value naming the reason, which becomes an avviso di non accettazione
 * (RFC 6109 §3.1.2); the SMTP answer stays 250, as real providers do.
 */
import type { ReceiptDetail } from "../domain/daticert.js";
import {
  addressesOf,
  decodeHeaderText,
  headerValue,
  type MimeHeader,
  messageIdOf,
  parseHeaderBlock,
} from "../mime/headers.js";
import { isAngleAddrText } from "./mime-text.js";

/** An accepted submission: what the envelope, the receipts and daticert say about it. */
export interface Submission {
  readonly messageId: string;
  /** The authenticated box, lower-cased. */
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  /** Decoded; empty when the message has none. */
  readonly subject: string;
  /** The original Reply-To address, else null (the envelope then answers to the sender). */
  readonly replyTo: string | null;
  /** `X-TipoRicevuta` of the original, default completa (reference/pec.md §2). */
  readonly deliveryType: ReceiptDetail;
  /** Whether the original carried `X-TipoRicevuta` (copied onto the envelope when it did). */
  readonly deliveryTypeRequested: boolean;
  /** The message as submitted. */
  readonly raw: Uint8Array;
}

/** What a non-accettazione says about a refused message, as far as it could be read. */
export interface RefusedSubmission {
  readonly messageId: string | null;
  readonly from: string;
  /** To ∪ Cc, else the SMTP recipients (daticert needs at least one `destinatari`). */
  readonly to: readonly string[];
  readonly subject: string;
}

export type SubmissionCheck =
  | { readonly ok: true; readonly submission: Submission }
  | { readonly ok: false; readonly refused: RefusedSubmission; readonly erroreEsteso: string };

export interface SubmissionInput {
  readonly raw: Uint8Array;
  /** The authenticated box (lower-cased). */
  readonly user: string;
  /** RCPT TO addresses. */
  readonly recipients: readonly string[];
  /** For the Nota 12-style `errore-esteso` text. */
  readonly providerName: string;
}

const RECEIPT_DETAILS: readonly ReceiptDetail[] = ["completa", "breve", "sintetica"];

/**
 * @example
 * const check = checkSubmission({ raw, user: "protocollo@pec.sandbox.test", recipients, providerName });
 * if (!check.ok) writeNonAccettazione(check.refused, check.erroreEsteso);
 */
export function checkSubmission(input: SubmissionInput): SubmissionCheck {
  const headers = headerBlockOf(input.raw);
  const list = (name: string) => addressesOf(headerValue(headers, name) ?? "").map((address) => address.toLowerCase());
  const to = list("to");
  const cc = list("cc");
  const subject = decodeHeaderText(headerValue(headers, "subject") ?? "");
  const messageId = messageIdOf(headerValue(headers, "message-id"));
  const reason = formalError(headers, { ...input, to, cc });
  if (reason !== null || messageId === null || !isAngleAddrText(messageId)) {
    const { code, text } = reason ?? NO_MESSAGE_ID;
    const named = [...new Set([...to, ...cc])];
    const refused = {
      messageId: messageId !== null && isAngleAddrText(messageId) ? messageId : null,
      from: input.user,
      to: named.length > 0 ? named : input.recipients.map((address) => address.toLowerCase()),
      subject,
    };
    return { ok: false, refused, erroreEsteso: `${code} - ${input.providerName} - ${text}` };
  }
  const requested = headerValue(headers, "x-tiporicevuta")?.trim().toLowerCase() ?? "";
  const deliveryType = RECEIPT_DETAILS.find((detail) => detail === requested);
  const submission: Submission = {
    messageId,
    from: input.user,
    to,
    cc: cc.filter((address) => !to.includes(address)),
    subject,
    replyTo: addressesOf(headerValue(headers, "reply-to") ?? "")[0] ?? null,
    deliveryType: deliveryType ?? "completa",
    deliveryTypeRequested: deliveryType !== undefined,
    raw: input.raw,
  };
  return { ok: true, submission };
}

interface Parsed extends SubmissionInput {
  readonly to: readonly string[];
  readonly cc: readonly string[];
}

interface FormalError {
  /** RFC 3463 enhanced status code. */
  readonly code: string;
  readonly text: string;
}

const NO_MESSAGE_ID: FormalError = { code: "5.6.0", text: "Message-ID mancante o non valido" };

/** The first failed check on the addresses, as an RFC 3463 code and an Italian text; null when all pass. */
function formalError(headers: readonly MimeHeader[], parsed: Parsed): FormalError | null {
  const from = addressesOf(headerValue(headers, "from") ?? "");
  if (from.length !== 1) return { code: "5.6.0", text: "il campo From deve contenere un solo indirizzo" };
  if (from[0]?.toLowerCase() !== parsed.user)
    return { code: "5.7.1", text: "il mittente non corrisponde alla casella autenticata" };
  if (parsed.to.length === 0) return { code: "5.6.0", text: "nessun destinatario nel campo To" };
  const named = new Set([...parsed.to, ...parsed.cc]);
  if (![...named].every(isAngleAddrText)) return { code: "5.1.3", text: "indirizzo di destinazione non valido" };
  const envelope = new Set(parsed.recipients.map((address) => address.toLowerCase()));
  if (headerValue(headers, "bcc") !== null || [...envelope].some((address) => !named.has(address)))
    return { code: "5.7.1", text: "destinatari in copia nascosta (Bcc) non ammessi" };
  if ([...named].some((address) => !envelope.has(address)))
    return { code: "5.1.3", text: "i destinatari SMTP non corrispondono ai campi To e Cc" };
  return null;
}

/** RFC 5322 §2.1: the header section ends at the first empty line. */
export function headerBlockOf(raw: Uint8Array): MimeHeader[] {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const ends = [bytes.indexOf("\r\n\r\n"), bytes.indexOf("\n\n")].filter((index) => index >= 0);
  const end = ends.length === 0 ? bytes.length : Math.min(...ends);
  return parseHeaderBlock(bytes.subarray(0, end).toString("latin1"));
}
