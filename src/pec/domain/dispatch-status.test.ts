import { describe, expect, it } from "vitest";
import { describeDispatch, dispatchStatus } from "./dispatch-status.js";
import { applyDispatchEvents, type DispatchEvent, type RecipientStatus, startDispatch } from "./recipient-state.js";
import { at, messageReceipt, minutes, recipientReceipt, SENT_AT } from "./sample-receipts.js";

const A = "a@pec.test";
const B = "b@pec.test";
const HOUR = minutes(60);
const run = (events: readonly DispatchEvent[]) =>
  describeDispatch(applyDispatchEvents(startDispatch(SENT_AT, [A, B]), events));
const accettazione = messageReceipt("acc", "accettazione", { at: at(minutes(1)) });
const tick = (offset: number): DispatchEvent => ({ type: "tick", now: at(offset) });

describe("dispatchStatus", () => {
  it.each([
    [[], "in_progress"],
    [["delivered"], "delivered"],
    [["delivered", "delivered"], "delivered"],
    [["delivered", "failed"], "partially_delivered"],
    [["failed", "failed"], "failed"],
    [["delivered", "accepted"], "in_progress"],
    [["delivered", "warned"], "in_progress"],
    [["failed", "pending"], "in_progress"],
  ] as [RecipientStatus[], string][])("%j → %s", (statuses, expected) => {
    expect(dispatchStatus(statuses)).toBe(expected);
  });
});

describe("describeDispatch", () => {
  it("is delivered when every recipient got a verified delivery receipt", () => {
    const view = run([
      accettazione,
      recipientReceipt("ca", "avvenuta-consegna", [A]),
      recipientReceipt("cb", "avvenuta-consegna", [B]),
    ]);
    expect(view).toMatchObject({ status: "delivered", acceptance: "accepted", alerts: [], nextDeadline: null });
  });

  it("takes a delivery read before its acceptance", () => {
    const view = run([recipientReceipt("ca", "avvenuta-consegna", [A]), accettazione]);
    expect(view.recipients[0]).toMatchObject({ status: "delivered", decidedBy: "ca" });
    expect(view.recipients[1]?.status).toBe("accepted");
  });

  it("fails every recipient when the provider refuses the message", () => {
    const refusal = messageReceipt("na", "non-accettazione", { errore: "altro", erroreEsteso: "destinatari in Bcc" });
    const view = run([refusal]);
    expect(view).toMatchObject({ status: "failed", acceptance: "refused" });
    expect(view.recipients.map((recipient) => recipient.failure?.reason)).toEqual([
      "non-accettazione",
      "non-accettazione",
    ]);
  });

  it("reads a 5.x.x preavviso as final and a 4.x.x one as a warning", () => {
    const view = run([
      accettazione,
      recipientReceipt("pa", "preavviso-errore-consegna", [A], {
        errore: "altro",
        erroreEsteso: "5.4.1 - X - rifiutato",
      }),
      recipientReceipt("pb", "preavviso-errore-consegna", [B], { errore: "altro", erroreEsteso: "4.4.7 - X - attesa" }),
    ]);
    expect(view.recipients[0]?.failure).toMatchObject({
      reason: "preavviso-errore-consegna",
      erroreEsteso: "5.4.1 - X - rifiutato",
    });
    expect(view.recipients[1]).toMatchObject({ status: "warned", warning: { receiptId: "pb" }, failure: null });
    expect(view.status).toBe("in_progress");
  });

  it("fails a recipient with no delivery 24 hours after acceptance, not a second earlier", () => {
    const delivered = recipientReceipt("ca", "avvenuta-consegna", [A]);
    const before = run([accettazione, delivered, tick(minutes(1) + 24 * HOUR - 1)]);
    expect(before.recipients[1]?.status).toBe("accepted");
    const after = run([accettazione, delivered, tick(minutes(1) + 24 * HOUR)]);
    expect(after.recipients[1]?.failure).toMatchObject({ reason: "delivery-timeout", at: at(minutes(1) + 24 * HOUR) });
    expect(after.recipients[1]?.decidedBy).toBeNull();
    expect(after.status).toBe("partially_delivered");
  });

  it("lets a late verified delivery win over the timeout and flags a contradicting avviso", () => {
    const view = run([
      accettazione,
      tick(30 * HOUR),
      recipientReceipt("ea", "errore-consegna", [A], { at: at(25 * HOUR) }),
      recipientReceipt("ca", "avvenuta-consegna", [A], { at: at(26 * HOUR) }),
    ]);
    expect(view.recipients[0]?.status).toBe("delivered");
    expect(view.alerts).toContainEqual({ code: "conflicting-receipts", address: A });
  });

  it("alerts on a missing acceptance at 30:00, not at 29:59", () => {
    expect(run([tick(minutes(30) - 1000)]).alerts).toEqual([]);
    expect(run([tick(minutes(30))]).alerts).toEqual([{ code: "acceptance-overdue", deadline: at(minutes(30)) }]);
  });

  it("keeps and flags unverified receipts and receipts for other addresses", () => {
    const view = run([
      recipientReceipt("forged", "avvenuta-consegna", [A], { verified: false }),
      recipientReceipt("other", "avvenuta-consegna", ["x@pec.test"]),
    ]);
    expect(view.recipients[0]).toMatchObject({ status: "pending", receiptIds: ["forged"] });
    expect(view.alerts).toEqual([
      { code: "unverified-receipt", receiptId: "forged", kind: "avvenuta-consegna" },
      { code: "unknown-recipient", receiptId: "other", address: "x@pec.test" },
    ]);
  });
});
