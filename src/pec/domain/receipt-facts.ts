/**
 * From a parsed PEC message to what the dispatch state machine reads (issue 6 "Receipts"): which
 * dispatch it is about, and the receipt event with its `verified` verdict.
 *
 * Correlation (reference/pec.md §5): top-level `X-Riferimento-Message-ID`, then daticert `msgid`,
 * then daticert `identificativo` (the provider's id, recorded from the acceptance).
 *
 * A receipt counts (`verified`) only when its S/MIME signature is intact and trusted **and** its
 * signed daticert names the dispatch. The top-level headers of an S/MIME message are outside the
 * signature (RFC 8551 §3.5 signs the inner entity only): a genuine receipt for another message with
 * its `X-Riferimento-Message-ID` rewritten must not move our dispatch, so the recipients and the
 * reference are read from daticert, never from the headers.
 */
import type { PecMessage } from "./pec-message.js";
import { ErroreCode, type ReceiptEvent, ReceiptKind, type RecipientReceipt } from "./recipient-state.js";

/** What correlation needs to know of a dispatch. */
export interface DispatchKeys {
  readonly id: string;
  readonly messageId: string;
  readonly identificativo: string | null;
}

export type CorrelatedBy = "riferimento-message-id" | "daticert-msgid" | "identificativo";

/**
 * The dispatch a message refers to, by the first key that matches one. When the provider's
 * signature is intact and daticert is there, only daticert (which the signature covers) is read:
 * a rewritten top-level header must not file a genuine receipt under another dispatch.
 */
export function correlate(
  message: PecMessage,
  byMessageId: (messageId: string) => DispatchKeys | undefined,
  byIdentificativo: (identificativo: string) => DispatchKeys | undefined,
): { dispatch: DispatchKeys; by: CorrelatedBy } | null {
  const { riferimentoMessageId, msgid, identificativo } = message.references;
  const signedKeysOnly = message.signature.valid && message.daticert !== null;
  const fromHeader = signedKeysOnly || riferimentoMessageId === null ? undefined : byMessageId(riferimentoMessageId);
  if (fromHeader) return { dispatch: fromHeader, by: "riferimento-message-id" };
  const fromMsgid = msgid === null ? undefined : byMessageId(msgid);
  if (fromMsgid) return { dispatch: fromMsgid, by: "daticert-msgid" };
  const fromId = identificativo === null ? undefined : byIdentificativo(identificativo);
  return fromId ? { dispatch: fromId, by: "identificativo" } : null;
}

/** The signed daticert names this dispatch: by our Message-ID, or by the provider's identificativo. */
export function daticertNames(message: PecMessage, dispatch: DispatchKeys): boolean {
  const daticert = message.daticert;
  if (daticert === null) return false;
  if (daticert.msgid !== null) return daticert.msgid === dispatch.messageId;
  return dispatch.identificativo !== null && daticert.identificativo === dispatch.identificativo;
}

/**
 * The receipt event, or null when the message is not a receipt. Its kind is daticert's `tipo`
 * when there is a daticert (signed), else the header's; a receipt whose header and daticert
 * disagree is not verified (the header was rewritten, or the provider is broken). `receiptId` is
 * the receipt's own Message-ID (the idempotency key), else `sha256:<digest>` of the raw bytes.
 */
export function receiptEvent(
  message: PecMessage,
  dispatch: DispatchKeys,
  sha256: string,
  fallbackTime: Date,
): ReceiptEvent | null {
  const daticert = message.daticert;
  const kind = ReceiptKind.safeParse(daticert?.type ?? message.type);
  if (!kind.success) return null;
  const agrees = daticert !== null && message.type === daticert.type;
  const signed = message.signature.valid && message.signature.trusted;
  const verified = signed && agrees && daticertNames(message, dispatch);
  const errore = ErroreCode.safeParse(daticert?.error ?? "nessuno");
  const facts = {
    type: "receipt" as const,
    receiptId: message.references.messageId ?? `sha256:${sha256}`,
    at: daticert?.date.instant ?? message.time ?? fallbackTime,
    errore: errore.success ? errore.data : "altro",
    erroreEsteso: daticert?.extendedError ?? null,
    verified,
  };
  if (kind.data === "accettazione" || kind.data === "non-accettazione") return { ...facts, kind: kind.data };
  const recipients: string[] = [];
  if (daticert?.delivery) recipients.push(daticert.delivery);
  if (daticert) recipients.push(...daticert.takenInCharge);
  return { ...facts, kind: kind.data, recipients } satisfies RecipientReceipt;
}

/** A receipt event as stored in JSON (dates as ISO strings), and back. */
export type StoredReceipt = Omit<ReceiptEvent, "at"> & { readonly at: string };

export function storeReceipt(event: ReceiptEvent): StoredReceipt {
  return { ...event, at: event.at.toISOString() };
}

export function loadReceipt(stored: StoredReceipt): ReceiptEvent {
  return { ...stored, at: new Date(stored.at) } as ReceiptEvent;
}
