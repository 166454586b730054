import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeDispatch } from "./dispatch-status.js";
import {
  applyDispatchEvent,
  applyDispatchEvents,
  type DispatchEvent,
  ErroreCode,
  type ReceiptEvent,
  ReceiptKind,
  startDispatch,
} from "./recipient-state.js";
import { at, minutes, SENT_AT } from "./sample-receipts.js";

const RECIPIENTS = ["a@pec.test", "b@pec.test", "c@pec.test"];
const start = () => startDispatch(SENT_AT, RECIPIENTS);
const time = fc.integer({ min: -minutes(5), max: minutes(60 * 50) }).map(at);

const receiptFields = fc.record({
  kind: fc.constantFrom(...ReceiptKind.options),
  recipients: fc.subarray([...RECIPIENTS, "stranger@pec.test"], { minLength: 1 }),
  at: time,
  errore: fc.constantFrom(...ErroreCode.options),
  erroreEsteso: fc.constantFrom(null, "5.1.1 - GESTORE - indirizzo non valido", "4.4.7 - GESTORE - attesa", "testo"),
  verified: fc.boolean(),
});

/** Receipts with distinct ids (the id is the receipt), mixed with clock ticks. */
const events = fc
  .array(
    fc.oneof(
      receiptFields.map((fields) => ({ fields })),
      time.map((now) => ({ now })),
    ),
    { maxLength: 12 },
  )
  .map((items) =>
    items.map((item, index): DispatchEvent => {
      if ("now" in item) return { type: "tick", now: item.now };
      const { kind, recipients, ...rest } = item.fields;
      const base = { type: "receipt" as const, receiptId: `<r${index}@pec.test>`, ...rest };
      return kind === "accettazione" || kind === "non-accettazione" ? { ...base, kind } : { ...base, kind, recipients };
    }),
  );

const permuted = events.chain((list) =>
  fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }).map((shuffled) => [list, shuffled]),
);

const isReceipt = (event: DispatchEvent): event is ReceiptEvent => event.type === "receipt";

describe("receipt state machine properties", () => {
  it("gives the same state and view whatever the order of the events", () => {
    fc.assert(
      fc.property(permuted, ([list, shuffled]) => {
        const one = applyDispatchEvents(start(), list ?? []);
        const other = applyDispatchEvents(start(), shuffled ?? []);
        expect(other).toEqual(one);
        expect(describeDispatch(other)).toEqual(describeDispatch(one));
      }),
    );
  });

  it("changes nothing when a receipt is applied a second time", () => {
    fc.assert(
      fc.property(events, (list) => {
        const state = applyDispatchEvents(start(), list);
        for (const event of list.filter(isReceipt)) expect(applyDispatchEvent(state, event)).toBe(state);
      }),
    );
  });

  it("never lets unverified receipts accept or deliver anything", () => {
    fc.assert(
      fc.property(events, (list) => {
        const unverified = list.map((event) => (isReceipt(event) ? { ...event, verified: false } : event));
        const view = describeDispatch(applyDispatchEvents(start(), unverified));
        expect(view.acceptance).toBe("pending");
        for (const recipient of view.recipients) expect(recipient.status).toBe("pending");
      }),
    );
  });

  it("gives the same statuses with or without the unverified receipts", () => {
    fc.assert(
      fc.property(events, (list) => {
        const verifiedOnly = list.filter((event) => !isReceipt(event) || event.verified);
        const statuses = (input: readonly DispatchEvent[]) => {
          const view = describeDispatch(applyDispatchEvents(start(), input));
          return { status: view.status, acceptance: view.acceptance, recipients: view.recipients.map((r) => r.status) };
        };
        expect(statuses(list)).toEqual(statuses(verifiedOnly));
      }),
    );
  });
});
