/**
 * What a dispatch's receipts add up to (issue 6 "Receipts", "Deadlines"): each recipient's status,
 * the message's acceptance, the dispatch status that the report follows, and alerts for staff.
 * Everything is derived from the state (receipts in a canonical order, the latest tick), so the
 * order in which receipts were read never shows.
 */
import {
  acceptanceDeadline,
  deliveryDeadline,
  isAcceptanceOverdue,
  isDeliveryOverdue,
  nextDeadline,
} from "./deadlines.js";
import {
  concerns,
  type DispatchState,
  type ErroreCode,
  isMessageReceipt,
  nextRecipientStatus,
  type ReceiptEvent,
  type ReceiptKind,
  type RecipientStatus,
  receiptEffect,
  sortedReceipts,
} from "./recipient-state.js";

/** The report statuses a dispatch can end in (see reports' `report-lifecycle.ts`). */
export type DispatchStatus = "in_progress" | "delivered" | "partially_delivered" | "failed";

export type FailureReason =
  | Exclude<ReceiptKind, "accettazione" | "presa-in-carico" | "avvenuta-consegna">
  | "delivery-timeout";

export interface RecipientFailure {
  readonly reason: FailureReason;
  /** The receipt that decided it; null for our own 24-hour timeout. */
  readonly receiptId: string | null;
  readonly at: Date;
  readonly errore: ErroreCode | null;
  readonly erroreEsteso: string | null;
}

export interface RecipientWarning {
  readonly receiptId: string;
  readonly at: Date;
  readonly errore: ErroreCode;
  readonly erroreEsteso: string | null;
}

export interface RecipientView {
  readonly address: string;
  readonly status: RecipientStatus;
  /** The earliest verified receipt that brought the recipient to its status; null if none did. */
  readonly decidedBy: string | null;
  readonly failure: RecipientFailure | null;
  /** The earliest verified, non-final preavviso di mancata consegna (12 hours, DM 2 novembre 2005 Allegato). */
  readonly warning: RecipientWarning | null;
  /** Every receipt that concerns this recipient, verified or not, in canonical order. */
  readonly receiptIds: readonly string[];
}

export type DispatchAlert =
  | { readonly code: "acceptance-overdue"; readonly deadline: Date }
  | { readonly code: "unverified-receipt"; readonly receiptId: string; readonly kind: ReceiptKind }
  | { readonly code: "unknown-recipient"; readonly receiptId: string; readonly address: string }
  | { readonly code: "conflicting-receipts"; readonly address: string };

export type MessageAcceptance = "pending" | "accepted" | "refused";

export interface DispatchView {
  readonly status: DispatchStatus;
  readonly acceptance: MessageAcceptance;
  readonly recipients: readonly RecipientView[];
  readonly alerts: readonly DispatchAlert[];
  /** When a tick next changes something; null when no deadline is left. */
  readonly nextDeadline: Date | null;
}

/** delivered when every recipient is; once all are final, partially_delivered or failed; else in progress. */
export function dispatchStatus(statuses: readonly RecipientStatus[]): DispatchStatus {
  if (statuses.length === 0) return "in_progress";
  if (statuses.every((status) => status === "delivered")) return "delivered";
  if (!statuses.every((status) => status === "delivered" || status === "failed")) return "in_progress";
  return statuses.includes("delivered") ? "partially_delivered" : "failed";
}

function failureFrom(receipt: ReceiptEvent): RecipientFailure {
  const { receiptId, at, errore, erroreEsteso } = receipt;
  return { reason: receipt.kind as FailureReason, receiptId, at, errore, erroreEsteso };
}

function timeoutFailure(state: DispatchState): RecipientFailure | null {
  const deadline = deliveryDeadline(state);
  if (deadline === null || !isDeliveryOverdue(state, state.now)) return null;
  return { reason: "delivery-timeout", receiptId: null, at: deadline, errore: null, erroreEsteso: null };
}

export function describeRecipient(state: DispatchState, address: string): RecipientView {
  const receipts = sortedReceipts(state).filter((receipt) => concerns(receipt, address));
  let status: RecipientStatus = "pending";
  let decisive: ReceiptEvent | null = null;
  for (const receipt of receipts) {
    const next = nextRecipientStatus(status, receipt);
    if (next !== status) [status, decisive] = [next, receipt];
  }
  let failure = status === "failed" && decisive !== null ? failureFrom(decisive) : null;
  if (status === "accepted" || status === "warned") {
    failure = timeoutFailure(state);
    if (failure !== null) [status, decisive] = ["failed", null];
  }
  const preavviso = receipts.find(
    (receipt) => receipt.kind === "preavviso-errore-consegna" && receiptEffect(receipt) === "warned",
  );
  const warning = preavviso
    ? {
        receiptId: preavviso.receiptId,
        at: preavviso.at,
        errore: preavviso.errore,
        erroreEsteso: preavviso.erroreEsteso,
      }
    : null;
  const receiptIds = receipts.map((receipt) => receipt.receiptId);
  return { address, status, decidedBy: decisive?.receiptId ?? null, failure, warning, receiptIds };
}

export function messageAcceptance(state: DispatchState): MessageAcceptance {
  const verified = Object.values(state.receipts).filter((receipt) => receipt.verified);
  if (verified.some((receipt) => receipt.kind === "non-accettazione")) return "refused";
  return verified.some((receipt) => receipt.kind === "accettazione") ? "accepted" : "pending";
}

function receiptAlerts(state: DispatchState): DispatchAlert[] {
  const alerts: DispatchAlert[] = [];
  for (const receipt of sortedReceipts(state)) {
    const { receiptId, kind } = receipt;
    if (!receipt.verified) alerts.push({ code: "unverified-receipt", receiptId, kind });
    if (isMessageReceipt(receipt)) continue;
    for (const address of receipt.recipients) {
      if (!state.recipients.includes(address)) alerts.push({ code: "unknown-recipient", receiptId, address });
    }
  }
  return alerts;
}

function hasConflict(state: DispatchState, address: string): boolean {
  const effects = sortedReceipts(state)
    .filter((receipt) => concerns(receipt, address))
    .map(receiptEffect);
  return effects.includes("delivered") && effects.includes("failed");
}

export function describeDispatch(state: DispatchState): DispatchView {
  const recipients = state.recipients.map((address) => describeRecipient(state, address));
  const alerts: DispatchAlert[] = [];
  if (isAcceptanceOverdue(state, state.now))
    alerts.push({ code: "acceptance-overdue", deadline: acceptanceDeadline(state) });
  alerts.push(...receiptAlerts(state));
  for (const address of state.recipients) {
    if (hasConflict(state, address)) alerts.push({ code: "conflicting-receipts", address });
  }
  const open = recipients.some((recipient) => recipient.status !== "delivered" && recipient.status !== "failed");
  return {
    status: dispatchStatus(recipients.map((recipient) => recipient.status)),
    acceptance: messageAcceptance(state),
    recipients,
    alerts,
    nextDeadline: nextDeadline(state, state.now, open),
  };
}
