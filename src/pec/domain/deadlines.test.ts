import { describe, expect, it } from "vitest";
import {
  ACCEPTANCE_TIMEOUT_MS,
  acceptanceDeadline,
  acceptedAt,
  DELIVERY_TIMEOUT_MS,
  deliveryDeadline,
  isAcceptanceOverdue,
  isDeliveryOverdue,
  nextDeadline,
} from "./deadlines.js";
import { applyDispatchEvents, startDispatch } from "./recipient-state.js";
import { at, messageReceipt, minutes, SENT_AT } from "./sample-receipts.js";

const SECOND = 1000;
const HOUR = minutes(60);
const start = () => startDispatch(SENT_AT, ["a@pec.test"]);
const ACCEPTED_AT = at(minutes(2));
const accepted = () => applyDispatchEvents(start(), [messageReceipt("acc", "accettazione", { at: ACCEPTED_AT })]);

describe("acceptance deadline", () => {
  it("is 30 minutes after submission", () => {
    expect(ACCEPTANCE_TIMEOUT_MS).toBe(30 * 60 * SECOND);
    expect(acceptanceDeadline(start())).toEqual(at(minutes(30)));
  });

  it.each([
    [minutes(29) + 59 * SECOND, false],
    [minutes(30) - 1, false],
    [minutes(30), true],
    [minutes(31), true],
  ])("without acceptance, %d ms after submission → overdue: %s", (elapsed, overdue) => {
    expect(isAcceptanceOverdue(start(), at(elapsed))).toBe(overdue);
  });

  it.each(["accettazione", "non-accettazione"] as const)("is met by a verified %s", (kind) => {
    const state = applyDispatchEvents(start(), [messageReceipt("r", kind, { at: at(minutes(45)) })]);
    expect(isAcceptanceOverdue(state, at(minutes(60)))).toBe(false);
  });

  it("is not met by an unverified accettazione", () => {
    const state = applyDispatchEvents(start(), [messageReceipt("r", "accettazione", { verified: false })]);
    expect(isAcceptanceOverdue(state, at(minutes(30)))).toBe(true);
  });
});

describe("delivery deadline", () => {
  it("is 24 hours after the earliest verified acceptance", () => {
    expect(DELIVERY_TIMEOUT_MS).toBe(24 * HOUR);
    const state = applyDispatchEvents(accepted(), [
      messageReceipt("later", "accettazione", { at: at(minutes(9)) }),
      messageReceipt("forged", "accettazione", { at: at(minutes(1)), verified: false }),
    ]);
    expect(acceptedAt(state)).toEqual(ACCEPTED_AT);
    expect(deliveryDeadline(state)).toEqual(new Date(ACCEPTED_AT.getTime() + 24 * HOUR));
  });

  it("does not run before a verified acceptance", () => {
    expect(deliveryDeadline(start())).toBeNull();
    expect(isDeliveryOverdue(start(), at(48 * HOUR))).toBe(false);
  });

  it.each([
    [24 * HOUR - SECOND, false],
    [24 * HOUR - 1, false],
    [24 * HOUR, true],
    [25 * HOUR, true],
  ])("%d ms after acceptance → overdue: %s", (elapsed, overdue) => {
    expect(isDeliveryOverdue(accepted(), new Date(ACCEPTED_AT.getTime() + elapsed))).toBe(overdue);
  });
});

describe("nextDeadline", () => {
  it("is the acceptance deadline while no acceptance came", () => {
    expect(nextDeadline(start(), SENT_AT, true)).toEqual(at(minutes(30)));
  });

  it("is the delivery deadline once accepted, while recipients are open", () => {
    expect(nextDeadline(accepted(), at(minutes(40)), true)).toEqual(new Date(ACCEPTED_AT.getTime() + 24 * HOUR));
    expect(nextDeadline(accepted(), at(minutes(40)), false)).toBeNull();
  });

  it("is null once every deadline has passed", () => {
    expect(nextDeadline(accepted(), at(25 * HOUR), true)).toBeNull();
    expect(nextDeadline(start(), at(minutes(30)), true)).toBeNull();
  });
});
