/**
 * Dispatch deadlines (issue 6 "Deadlines"), as pure functions of the state and a given `now`.
 *
 * - Acceptance: the sender's provider answers a submission at once with a ricevuta di accettazione
 *   or an avviso di non accettazione (DPR 68/2005 art. 6 c. 1; RFC 6109 §3.1.2). With neither
 *   30 minutes after the submission, staff get an alert (our operating rule, not the law's).
 * - Delivery: when no ricevuta di avvenuta consegna comes within 24 hours of the message's
 *   acceptance, the sender's provider issues an avviso di mancata consegna (DM 2 novembre 2005,
 *   Allegato, timeouts; RFC 6109 §3; after a 12-hour preavviso). We mark the recipient failed ourselves at
 *   24 hours, so a lost avviso does not leave it in progress forever.
 *
 * Boundaries: a deadline is reached at its exact instant (`now >= deadline`): at 29:59 after
 * submission there is no alert, at 30:00 there is.
 */
import type { DispatchState, ReceiptEvent } from "./recipient-state.js";

export const ACCEPTANCE_TIMEOUT_MS = 30 * 60 * 1000;
export const DELIVERY_TIMEOUT_MS = 24 * 60 * 60 * 1000;

function isVerifiedMessageReceipt(receipt: ReceiptEvent): boolean {
  return receipt.verified && (receipt.kind === "accettazione" || receipt.kind === "non-accettazione");
}

function earliest(dates: readonly Date[]): Date | null {
  let min: Date | null = null;
  for (const date of dates) if (min === null || date.getTime() < min.getTime()) min = date;
  return min;
}

/** The time of the earliest verified ricevuta di accettazione, if any. */
export function acceptedAt(state: DispatchState): Date | null {
  const times = Object.values(state.receipts)
    .filter((receipt) => receipt.verified && receipt.kind === "accettazione")
    .map((receipt) => receipt.at);
  return earliest(times);
}

/** When the missing-acceptance alert fires. */
export function acceptanceDeadline(state: DispatchState): Date {
  return new Date(state.sentAt.getTime() + ACCEPTANCE_TIMEOUT_MS);
}

/** No verified accettazione nor non-accettazione, and 30 minutes have passed since submission. */
export function isAcceptanceOverdue(state: DispatchState, now: Date): boolean {
  if (Object.values(state.receipts).some(isVerifiedMessageReceipt)) return false;
  return now.getTime() >= acceptanceDeadline(state).getTime();
}

/** 24 hours after the verified acceptance; null while the message has none. */
export function deliveryDeadline(state: DispatchState): Date | null {
  const accepted = acceptedAt(state);
  return accepted === null ? null : new Date(accepted.getTime() + DELIVERY_TIMEOUT_MS);
}

/** Whether a recipient still without a final receipt has run out of time. */
export function isDeliveryOverdue(state: DispatchState, now: Date): boolean {
  const deadline = deliveryDeadline(state);
  return deadline !== null && now.getTime() >= deadline.getTime();
}

/**
 * The next instant at which a deadline changes the picture, for scheduling a tick: the acceptance
 * deadline while it can still fire, the delivery deadline while `recipientsOpen`; null if none.
 */
export function nextDeadline(state: DispatchState, now: Date, recipientsOpen: boolean): Date | null {
  const candidates: Date[] = [];
  if (!Object.values(state.receipts).some(isVerifiedMessageReceipt)) candidates.push(acceptanceDeadline(state));
  const delivery = deliveryDeadline(state);
  if (recipientsOpen && delivery !== null) candidates.push(delivery);
  return earliest(candidates.filter((deadline) => deadline.getTime() > now.getTime()));
}
