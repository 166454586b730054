/**
 * The per-recipient receipt state machine of a PEC dispatch (issue 6 "Receipts"), pure.
 *
 * Input: receipts already parsed and signature-checked, plus clock ticks. A PEC provider sends one
 * ricevuta di accettazione (or one avviso di non accettazione) per message, and per recipient a
 * presa in carico, a ricevuta di avvenuta consegna or an avviso di mancata consegna
 * (DPR 68/2005 art. 6; DM 2 novembre 2005 art. 6 and its Allegato; RFC 6109 §3).
 *
 * Each recipient's status is the *join* of the effects of its verified receipts along this order:
 *
 *   pending ─▶ accepted ─▶ warned ─▶ failed ─▶ delivered
 *
 * so applying receipts in any order gives the same result (IMAP order is not event order; a consegna
 * can be read before its accettazione). `delivered` sits on top: a verified ricevuta di avvenuta
 * consegna is the legal proof that the message reached the recipient's box (DPR 68/2005 art. 6
 * c. 3; one per recipient, DM 2 novembre 2005 art. 6 c. 7), even if a timeout avviso raced it. The state keeps the
 * receipts themselves (keyed by their own Message-ID, so a receipt read twice changes nothing) and
 * the latest tick; statuses are derived (see `dispatch-status.ts`).
 */
import { z } from "zod";

/** The `X-Ricevuta` values a dispatch can get back (RFC 6109 §3; daticert `tipo`). */
export const ReceiptKind = z.enum([
  "accettazione",
  "non-accettazione",
  "presa-in-carico",
  "avvenuta-consegna",
  "errore-consegna",
  "preavviso-errore-consegna",
  "rilevazione-virus",
]);
export type ReceiptKind = z.infer<typeof ReceiptKind>;

/** Receipts about the whole message, issued by the sender's provider (RFC 6109 §3.1). */
export type MessageReceiptKind = Extract<ReceiptKind, "accettazione" | "non-accettazione">;
/** Receipts about some recipients (RFC 6109 §3, incoming and delivery points). */
export type RecipientReceiptKind = Exclude<ReceiptKind, MessageReceiptKind>;

/** daticert `errore` attribute (DM 2 novembre 2005, Allegato, daticert DTD). */
export const ErroreCode = z.enum(["nessuno", "no-dest", "no-dominio", "virus", "altro"]);
export type ErroreCode = z.infer<typeof ErroreCode>;

export const RECIPIENT_STATUSES = ["pending", "accepted", "warned", "failed", "delivered"] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

interface ReceiptFacts {
  readonly type: "receipt";
  /** The receipt's own Message-ID: the idempotency key. */
  readonly receiptId: string;
  /** daticert `data` (the provider's time of the event). */
  readonly at: Date;
  readonly errore: ErroreCode;
  /** daticert `errore-esteso`, e.g. `5.1.1 - ARUBA PEC - indirizzo non valido` (Nota 12, 2015). */
  readonly erroreEsteso: string | null;
  /** The S/MIME signature is intact and chains to a trusted PEC provider at signing time. */
  readonly verified: boolean;
}

export type MessageReceipt = ReceiptFacts & { readonly kind: MessageReceiptKind };
/** `recipients`: daticert `consegna`, or every `ricezione` of a presa in carico. */
export type RecipientReceipt = ReceiptFacts & {
  readonly kind: RecipientReceiptKind;
  readonly recipients: readonly string[];
};
export type ReceiptEvent = MessageReceipt | RecipientReceipt;

/** Time passes: deadlines are judged against the latest tick. */
export interface TickEvent {
  readonly type: "tick";
  readonly now: Date;
}

export type DispatchEvent = ReceiptEvent | TickEvent;

export interface DispatchState {
  /** When the provider's SMTP server accepted our submission. */
  readonly sentAt: Date;
  /** Normalised addresses (see `normaliseAddress`), in the order given. */
  readonly recipients: readonly string[];
  /** Every receipt seen, verified or not, by receipt id. */
  readonly receipts: Readonly<Record<string, ReceiptEvent>>;
  /** The latest tick (never before `sentAt`). */
  readonly now: Date;
}

/** PEC addresses compare case-insensitively in practice (providers lower-case them in daticert). */
export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

export function startDispatch(sentAt: Date, recipients: readonly string[]): DispatchState {
  const unique = [...new Set(recipients.map(normaliseAddress))];
  return { sentAt, recipients: unique, receipts: {}, now: sentAt };
}

/**
 * Record an event. A receipt whose id is already known changes nothing, except that a verified copy
 * replaces an unverified one (the same receipt read again once the trust store knows its provider).
 * A tick only moves the clock forward.
 */
export function applyDispatchEvent(state: DispatchState, event: DispatchEvent): DispatchState {
  if (event.type === "tick") {
    return event.now.getTime() > state.now.getTime() ? { ...state, now: event.now } : state;
  }
  const known = Object.hasOwn(state.receipts, event.receiptId) ? state.receipts[event.receiptId] : undefined;
  if (known && (known.verified || !event.verified)) return state;
  const normalised: ReceiptEvent = isMessageReceipt(event)
    ? event
    : { ...event, recipients: [...new Set(event.recipients.map(normaliseAddress))] };
  return { ...state, receipts: { ...state.receipts, [event.receiptId]: normalised } };
}

export function applyDispatchEvents(state: DispatchState, events: readonly DispatchEvent[]): DispatchState {
  return events.reduce(applyDispatchEvent, state);
}

/** RFC 3463 enhanced status code at the start of `errore-esteso` (`5.1.1 - …`). */
const ENHANCED_STATUS = /^\s*([245])\.\d{1,3}\.\d{1,3}(?!\d)/;

/**
 * Whether an error is final, reading `errore` and `errore-esteso` together: the class of the
 * enhanced status code decides (5 permanent, 4 transient, RFC 3463 §3.1); without one, `no-dest`,
 * `no-dominio` and `virus` are final, `altro` and `nessuno` are not.
 */
export function isPermanentError(errore: ErroreCode, erroreEsteso: string | null): boolean {
  const code = erroreEsteso === null ? undefined : ENHANCED_STATUS.exec(erroreEsteso)?.[1];
  if (code !== undefined) return code === "5";
  return errore === "no-dest" || errore === "no-dominio" || errore === "virus";
}

/**
 * What one receipt says about each recipient it concerns. Unverified receipts say nothing: they are
 * kept and flagged, but a forged receipt must move no recipient anywhere (issue 6), not even to
 * failed, which would invite a resend.
 */
export function receiptEffect(receipt: ReceiptEvent): RecipientStatus {
  if (!receipt.verified) return "pending";
  switch (receipt.kind) {
    case "accettazione":
    case "presa-in-carico":
      return "accepted";
    case "avvenuta-consegna":
      return "delivered";
    case "non-accettazione":
    case "errore-consegna":
    case "rilevazione-virus":
      return "failed";
    case "preavviso-errore-consegna":
      return isPermanentError(receipt.errore, receipt.erroreEsteso) ? "failed" : "warned";
  }
}

const RANK: Record<RecipientStatus, number> = { pending: 0, accepted: 1, warned: 2, failed: 3, delivered: 4 };

/** The join of two statuses: the later one along pending < accepted < warned < failed < delivered. */
export function joinRecipientStatus(a: RecipientStatus, b: RecipientStatus): RecipientStatus {
  return RANK[b] > RANK[a] ? b : a;
}

/** One transition: the status a recipient moves to when `receipt` (which concerns it) is applied. */
export function nextRecipientStatus(status: RecipientStatus, receipt: ReceiptEvent): RecipientStatus {
  return joinRecipientStatus(status, receiptEffect(receipt));
}

export function isMessageReceipt(receipt: ReceiptEvent): receipt is MessageReceipt {
  return receipt.kind === "accettazione" || receipt.kind === "non-accettazione";
}

/** Whether the receipt concerns `address` (message-level receipts concern every recipient). */
export function concerns(receipt: ReceiptEvent, address: string): boolean {
  return isMessageReceipt(receipt) || receipt.recipients.includes(address);
}

/** The receipts in a canonical order (time, then id), so every derivation is order-independent. */
export function sortedReceipts(state: DispatchState): ReceiptEvent[] {
  return Object.values(state.receipts).sort(
    (a, b) => a.at.getTime() - b.at.getTime() || (a.receiptId < b.receiptId ? -1 : a.receiptId > b.receiptId ? 1 : 0),
  );
}
