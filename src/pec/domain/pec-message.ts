/**
 * A message read from a PEC mailbox: what it is (receipt, envelope, anomaly, plain mail), what it
 * refers to, and whether the provider's S/MIME signature holds. Classified from the top-level
 * markers (RFC 6109 §3; DM 2 novembre 2005 Allegato §3), cross-checked with daticert `tipo`.
 */
import type { Daticert, DaticertType, ReceiptDetail, RecipientKind } from "./daticert.js";
import { ReceiptKind } from "./recipient-state.js";

/** The daticert types, plus the busta di anomalia (`errore`), plain mail and unknown markers. */
export type PecMessageType = DaticertType | "errore" | "plain" | "unknown";

/** Top-level marker headers, values trimmed and lower-cased; null when absent. */
export interface PecMarkers {
  readonly ricevuta: string | null;
  readonly trasporto: string | null;
  readonly verificaSicurezza: string | null;
  /** `X-TipoRicevuta` (Sogei writes `X-Tiporicevuta`). */
  readonly tipoRicevuta: string | null;
}

/** Correlation keys (reference/pec.md §5), all without angle brackets. */
export interface PecReferences {
  /** This message's own Message-ID: the idempotency key of a receipt. */
  readonly messageId: string | null;
  /** `X-Riferimento-Message-ID`: the Message-ID we submitted. */
  readonly riferimentoMessageId: string | null;
  /** daticert `msgid` (fallback when the header is missing or mangled). */
  readonly msgid: string | null;
  /** daticert `identificativo`: the provider's id, equal in the acceptance and every receipt. */
  readonly identificativo: string | null;
}

export interface PecRecipient {
  readonly address: string;
  /** From daticert; null when only the headers name the recipient. */
  readonly kind: RecipientKind | null;
}

export interface PecSignatureReason {
  /** A CAdES reason code (src/signature), or `SIGNATURE_PART_MISSING` / `NOT_MULTIPART_SIGNED`. */
  readonly code: string;
  readonly message: string;
}

export interface PecSignature {
  readonly present: boolean;
  /** Cryptographically intact (signature and content digest), whatever the trust. */
  readonly valid: boolean;
  /** Intact, chained to a trust anchor, and every certificate valid at the signing time. */
  readonly trusted: boolean;
  /** Subject of the signer certificate. */
  readonly signer: string | null;
  readonly signingTime: Date | null;
  readonly digestAlgorithm: string | null;
  /** Every reason reported, including the accepted ones (SHA-1 is recorded, not refused). */
  readonly reasons: readonly PecSignatureReason[];
}

export const PEC_PROBLEM_CODES = [
  "MIME_MALFORMED",
  "NOT_MULTIPART_SIGNED",
  "SIGNATURE_MISSING",
  "SIGNATURE_INVALID",
  "SIGNER_UNTRUSTED",
  "DATICERT_MISSING",
  "DATICERT_UNREADABLE",
  "TYPE_MISMATCH",
  "MSGID_MISMATCH",
  "UNKNOWN_MARKER",
  /** No X-Ricevuta / X-Trasporto: the type comes from daticert alone. */
  "MARKERS_MISSING",
  /** daticert `errore` other than `nessuno`, with `errore-esteso`: read them together. */
  "DELIVERY_ERROR",
] as const;
export type PecProblemCode = (typeof PEC_PROBLEM_CODES)[number];

export interface PecProblem {
  readonly code: PecProblemCode;
  readonly message: string;
}

export interface PecMessage {
  readonly type: PecMessageType;
  readonly markers: PecMarkers;
  /** daticert `ricevuta/@tipo`, else `X-TipoRicevuta`; null when neither. */
  readonly receiptDetail: ReceiptDetail | null;
  readonly references: PecReferences;
  /** daticert `mittente`, else the "Per conto di" sender or the From address. */
  readonly sender: string | null;
  readonly recipients: readonly PecRecipient[];
  readonly subject: string | null;
  /** daticert `data`, else the Date header. */
  readonly time: Date | null;
  readonly daticert: Daticert | null;
  /** The `postacert.eml` part, exactly as carried (binary); null when absent. */
  readonly postacert: Uint8Array | null;
  readonly signature: PecSignature;
  readonly problems: readonly PecProblem[];
}

export type PecParseErrorCode = "MESSAGE_EMPTY" | "MESSAGE_TOO_LARGE" | "MESSAGE_UNREADABLE";

export type PecParseResult =
  | { readonly ok: true; readonly message: PecMessage }
  | { readonly ok: false; readonly error: { readonly code: PecParseErrorCode; readonly message: string } };

/** The `X-Ricevuta` values: the receipts a dispatch gets back, as the state machine knows them. */
const RECEIPT_MARKERS: ReadonlySet<string> = new Set(ReceiptKind.options);

/**
 * The type from the markers first (`X-Trasporto`, then `X-Ricevuta`), else from daticert, else
 * plain; a disagreement with daticert is a problem, the header wins (reference/pec.md §2).
 */
export function classifyPecMessage(
  markers: PecMarkers,
  daticert: Daticert | null,
): { type: PecMessageType; problems: PecProblem[] } {
  const problems: PecProblem[] = [];
  const fromMarkers = typeOfMarkers(markers, problems);
  const type = fromMarkers ?? daticert?.type ?? "plain";
  if (fromMarkers === null && daticert !== null)
    problems.push({ code: "MARKERS_MISSING", message: `no X-Ricevuta or X-Trasporto; daticert says ${daticert.type}` });
  if (daticert !== null && fromMarkers !== null && fromMarkers !== "unknown" && fromMarkers !== daticert.type) {
    problems.push({ code: "TYPE_MISMATCH", message: `headers say ${fromMarkers}, daticert says ${daticert.type}` });
  }
  return { type, problems };
}

function typeOfMarkers(markers: PecMarkers, problems: PecProblem[]): PecMessageType | null {
  const { trasporto, ricevuta } = markers;
  if (trasporto === "posta-certificata" || trasporto === "errore") return trasporto;
  if (ricevuta !== null && RECEIPT_MARKERS.has(ricevuta)) return ricevuta as PecMessageType;
  const unknown = ricevuta ?? trasporto;
  if (unknown === null) return null;
  problems.push({ code: "UNKNOWN_MARKER", message: `unknown marker value "${unknown}"` });
  return "unknown";
}

/** Problems that bind references and delivery outcome together: msgid disagreement, `errore`. */
export function daticertProblems(daticert: Daticert, riferimentoMessageId: string | null): PecProblem[] {
  const problems: PecProblem[] = [];
  if (daticert.msgid !== null && riferimentoMessageId !== null && daticert.msgid !== riferimentoMessageId) {
    problems.push({
      code: "MSGID_MISMATCH",
      message: `X-Riferimento-Message-ID <${riferimentoMessageId}> differs from daticert msgid <${daticert.msgid}>`,
    });
  }
  if (daticert.error !== "nessuno" || daticert.extendedError !== null) {
    const detail = daticert.extendedError === null ? "" : `: ${daticert.extendedError}`;
    problems.push({ code: "DELIVERY_ERROR", message: `${daticert.error}${detail}` });
  }
  return problems;
}
