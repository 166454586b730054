/** Builders for receipt events in tests (not exported from the module). */
import type { ErroreCode, MessageReceiptKind, ReceiptEvent, RecipientReceiptKind } from "./recipient-state.js";

export const SENT_AT = new Date("2026-03-02T09:00:00Z");
export const minutes = (n: number) => n * 60 * 1000;
export const at = (offsetMs: number) => new Date(SENT_AT.getTime() + offsetMs);

interface Options {
  readonly at?: Date;
  readonly verified?: boolean;
  readonly errore?: ErroreCode;
  readonly erroreEsteso?: string | null;
}

export function messageReceipt(receiptId: string, kind: MessageReceiptKind, options: Options = {}): ReceiptEvent {
  return {
    type: "receipt",
    receiptId,
    kind,
    at: options.at ?? at(minutes(1)),
    errore: options.errore ?? "nessuno",
    erroreEsteso: options.erroreEsteso ?? null,
    verified: options.verified ?? true,
  };
}

export function recipientReceipt(
  receiptId: string,
  kind: RecipientReceiptKind,
  recipients: readonly string[],
  options: Options = {},
): ReceiptEvent {
  return { ...messageReceipt(receiptId, "accettazione", options), kind, recipients };
}
