/**
 * Reads one raw message from a PEC mailbox: walks its MIME tree for `daticert.xml`,
 * `postacert.eml` and `smime.p7s` (reference/pec.md §3), classifies it from the top-level
 * markers and daticert, and verifies the provider's S/MIME signature. A missing part, a broken
 * signature or an untrusted signer is a problem in the result, never an exception.
 */
import { type Daticert, isReceiptDetail, type ReceiptDetail } from "./domain/daticert.js";
import {
  classifyPecMessage,
  daticertProblems,
  type PecMarkers,
  type PecMessage,
  type PecParseResult,
  type PecProblem,
  type PecRecipient,
  type PecSignature,
} from "./domain/pec-message.js";
import { canonicalLineEndings, toBytes } from "./mime/decode.js";
import {
  addressesOf,
  decodeHeaderText,
  headerValue,
  type MimeHeader,
  messageIdOf,
  onBehalfOf,
} from "./mime/headers.js";
import { decodedBody, type MimePart, parseMimeTree, partsOf } from "./mime/mime-tree.js";
import { parseDaticert } from "./parse-daticert.js";
import { absentSignature, type PecSignatureOptions, verifyPecSignature } from "./verify-pec-signature.js";

/** Aruba allows 100 MB per message; a completa receipt embeds the original. */
const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

export interface ParsePecMessageOptions {
  /** Trust anchors (DER) for the provider's signature; none: `trusted` is always false. */
  readonly trust?: readonly Uint8Array[];
}

/**
 * @example
 * const result = parsePecMessage(raw, { trust: parsePemBundle(pecProvidersPem) });
 * if (result.ok && result.message.type === "avvenuta-consegna" && result.message.signature.trusted) …
 */
export function parsePecMessage(raw: Uint8Array, options: ParsePecMessageOptions = {}): PecParseResult {
  if (raw.byteLength === 0) return { ok: false, error: { code: "MESSAGE_EMPTY", message: "empty message" } };
  if (raw.byteLength > MAX_MESSAGE_BYTES) {
    const message = `${raw.byteLength} bytes, at most ${MAX_MESSAGE_BYTES}`;
    return { ok: false, error: { code: "MESSAGE_TOO_LARGE", message } };
  }
  try {
    return { ok: true, message: readMessage(raw, options) };
  } catch (error) {
    // Last resort: the contract is "a classified result or a typed error".
    const message = error instanceof Error ? error.message : "unknown error";
    return { ok: false, error: { code: "MESSAGE_UNREADABLE", message } };
  }
}

function readMessage(raw: Uint8Array, options: ParsePecMessageOptions): PecMessage {
  const tree = parseMimeTree(raw);
  const root = tree.root;
  const problems: PecProblem[] = tree.problems.map((message) => ({ code: "MIME_MALFORMED", message }));
  const markers = markersOf(root.headers);
  const isPec = markers.ricevuta !== null || markers.trasporto !== null;
  const daticert = readDaticertPart(root, isPec, problems);
  const classified = classifyPecMessage(markers, daticert);
  problems.push(...classified.problems);
  const references = {
    messageId: messageIdOf(headerValue(root.headers, "message-id")),
    riferimentoMessageId: messageIdOf(headerValue(root.headers, "x-riferimento-message-id")),
    msgid: daticert?.msgid ?? null,
    identificativo: daticert?.identificativo ?? null,
  };
  if (daticert !== null) problems.push(...daticertProblems(daticert, references.riferimentoMessageId));
  const time = daticert?.date.instant ?? dateHeader(root.headers);
  const signature = readSignature(root, classified.type !== "plain", {
    trust: options.trust ?? [],
    fallbackTime: time,
  });
  problems.push(...signatureProblems(signature, classified.type !== "plain"));
  const postacert = [...partsOf(root)].find(isPostacert);
  return {
    type: classified.type,
    markers,
    receiptDetail: daticert?.receiptDetail ?? receiptDetailOf(markers.tipoRicevuta),
    references,
    sender: daticert?.sender ?? senderOf(root.headers),
    recipients: daticert?.recipients ?? recipientsOf(root.headers),
    subject: daticert?.subject ?? subjectOf(root.headers, isPec),
    time,
    daticert,
    postacert: postacert?.message ? toBytes(postacert.message.raw) : null,
    signature,
    problems,
  };
}

function markersOf(headers: readonly MimeHeader[]): PecMarkers {
  const marker = (name: string) => headerValue(headers, name)?.trim().toLowerCase() || null;
  return {
    ricevuta: marker("x-ricevuta"),
    trasporto: marker("x-trasporto"),
    verificaSicurezza: marker("x-verificasicurezza"),
    tipoRicevuta: marker("x-tiporicevuta"),
  };
}

function receiptDetailOf(marker: string | null): ReceiptDetail | null {
  return marker !== null && isReceiptDetail(marker) ? marker : null;
}

/** The daticert of the message itself: outside `postacert.eml` (a forwarded PEC has its own). */
function readDaticertPart(root: MimePart, isPec: boolean, problems: PecProblem[]): Daticert | null {
  const part = [...partsOf(root)].find((one) => one.fileName?.toLowerCase() === "daticert.xml");
  if (part === undefined) {
    if (isPec) problems.push({ code: "DATICERT_MISSING", message: "no daticert.xml part: read from headers only" });
    return null;
  }
  const result = parseDaticert(decodedBody(part));
  if (result.ok) return result.daticert;
  problems.push({ code: "DATICERT_UNREADABLE", message: `${result.problem.code}: ${result.problem.message}` });
  return null;
}

function isPostacert(part: MimePart): boolean {
  return part.contentType === "message/rfc822" && part.fileName?.toLowerCase() === "postacert.eml";
}

/**
 * RFC 8551 §3.5.3: the signature covers the first part of the multipart/signed exactly as sent,
 * in canonical CRLF form; the second part is the detached `application/(x-)pkcs7-signature`.
 */
function readSignature(root: MimePart, expected: boolean, options: PecSignatureOptions): PecSignature {
  if (root.contentType !== "multipart/signed") {
    return absentSignature("NOT_MULTIPART_SIGNED", `top-level ${root.contentType}${expected ? "" : " (plain mail)"}`);
  }
  const [content, ...rest] = root.children;
  const p7s = rest.find((part) => /^application\/(x-)?pkcs7-signature$/.test(part.contentType));
  if (content === undefined || p7s === undefined)
    return absentSignature("SIGNATURE_PART_MISSING", "multipart/signed without a signature part");
  return verifyPecSignature(decodedBody(p7s), canonicalLineEndings(content.raw), options);
}

function signatureProblems(signature: PecSignature, expected: boolean): PecProblem[] {
  if (!signature.present) {
    if (!expected) return [];
    const code = signature.reasons[0]?.code === "NOT_MULTIPART_SIGNED" ? "NOT_MULTIPART_SIGNED" : "SIGNATURE_MISSING";
    return [{ code, message: signature.reasons[0]?.message ?? "no signature" }];
  }
  const codes = signature.reasons.map((reason) => reason.code).join(", ");
  if (!signature.valid) return [{ code: "SIGNATURE_INVALID", message: `signature not intact: ${codes}` }];
  if (!signature.trusted) return [{ code: "SIGNER_UNTRUSTED", message: `signer not trusted: ${codes}` }];
  return [];
}

function senderOf(headers: readonly MimeHeader[]): string | null {
  const from = headerValue(headers, "from");
  if (from === null) return null;
  return onBehalfOf(decodeHeaderText(from)) ?? addressesOf(from)[0] ?? null;
}

function recipientsOf(headers: readonly MimeHeader[]): PecRecipient[] {
  const fields = [headerValue(headers, "to"), headerValue(headers, "cc")].filter((field) => field !== null);
  return fields.flatMap((field) => addressesOf(field)).map((address) => ({ address, kind: null }));
}

/** The prefixes providers add (reference/pec.md §2): without daticert, the original subject is what follows. */
const PEC_SUBJECT_PREFIX =
  /^(POSTA CERTIFICATA|ANOMALIA MESSAGGIO|ACCETTAZIONE|CONSEGNA|PRESA IN CARICO|PROBLEMA DI SICUREZZA|AVVISO DI [A-Z. ]+):\s*/;

function subjectOf(headers: readonly MimeHeader[], isPec: boolean): string | null {
  const subject = headerValue(headers, "subject");
  if (subject === null) return null;
  const text = decodeHeaderText(subject);
  return isPec ? text.replace(PEC_SUBJECT_PREFIX, "") : text;
}

function dateHeader(headers: readonly MimeHeader[]): Date | null {
  const value = headerValue(headers, "date");
  if (value === null) return null;
  // A real Date is about 40 characters; the cut keeps the expression linear on hostile input.
  const date = new Date(value.slice(0, 200).replace(/\s*\([^)]*\)\s*$/, ""));
  return Number.isNaN(date.getTime()) ? null : date;
}
