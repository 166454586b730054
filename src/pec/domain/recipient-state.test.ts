import { describe, expect, it } from "vitest";
import { describeRecipient } from "./dispatch-status.js";
import {
  applyDispatchEvent,
  applyDispatchEvents,
  type DispatchState,
  isPermanentError,
  type ReceiptEvent,
  type RecipientStatus,
  startDispatch,
} from "./recipient-state.js";
import { at, messageReceipt, minutes, recipientReceipt, SENT_AT } from "./sample-receipts.js";

const A = "a@pec.test";
const B = "b@pec.test";
const start = () => startDispatch(SENT_AT, [A, B]);

/** A state in which recipient A has each status, built from verified receipts. */
const STATES: Record<RecipientStatus, readonly ReceiptEvent[]> = {
  pending: [],
  accepted: [messageReceipt("s-acc", "accettazione")],
  warned: [
    messageReceipt("s-acc", "accettazione"),
    recipientReceipt("s-pre", "preavviso-errore-consegna", [A], { erroreEsteso: "4.4.7 - GESTORE - timeout" }),
  ],
  failed: [messageReceipt("s-acc", "accettazione"), recipientReceipt("s-err", "errore-consegna", [A])],
  delivered: [messageReceipt("s-acc", "accettazione"), recipientReceipt("s-con", "avvenuta-consegna", [A])],
};

const EVENTS = {
  accettazione: (verified: boolean) => messageReceipt("e", "accettazione", { verified }),
  "non-accettazione": (verified: boolean) => messageReceipt("e", "non-accettazione", { verified }),
  "presa-in-carico": (verified: boolean) => recipientReceipt("e", "presa-in-carico", [A], { verified }),
  "avvenuta-consegna": (verified: boolean) => recipientReceipt("e", "avvenuta-consegna", [A], { verified }),
  "errore-consegna": (verified: boolean) =>
    recipientReceipt("e", "errore-consegna", [A], {
      verified,
      errore: "no-dest",
      erroreEsteso: "5.1.1 - X - non valido",
    }),
  "preavviso-errore-consegna 4.x.x": (verified: boolean) =>
    recipientReceipt("e", "preavviso-errore-consegna", [A], { verified, errore: "altro", erroreEsteso: "4.4.7 - X" }),
  "preavviso-errore-consegna 5.x.x": (verified: boolean) =>
    recipientReceipt("e", "preavviso-errore-consegna", [A], { verified, errore: "altro", erroreEsteso: "5.4.1 - X" }),
  "rilevazione-virus": (verified: boolean) =>
    recipientReceipt("e", "rilevazione-virus", [A], { verified, errore: "virus" }),
} as const;
type EventName = keyof typeof EVENTS;

/** Where a verified receipt takes recipient A; an unverified one leaves it where it was. */
const EXPECTED: Record<RecipientStatus, Record<EventName, RecipientStatus>> = {
  pending: {
    accettazione: "accepted",
    "non-accettazione": "failed",
    "presa-in-carico": "accepted",
    "avvenuta-consegna": "delivered",
    "errore-consegna": "failed",
    "preavviso-errore-consegna 4.x.x": "warned",
    "preavviso-errore-consegna 5.x.x": "failed",
    "rilevazione-virus": "failed",
  },
  accepted: {
    accettazione: "accepted",
    "non-accettazione": "failed",
    "presa-in-carico": "accepted",
    "avvenuta-consegna": "delivered",
    "errore-consegna": "failed",
    "preavviso-errore-consegna 4.x.x": "warned",
    "preavviso-errore-consegna 5.x.x": "failed",
    "rilevazione-virus": "failed",
  },
  warned: {
    accettazione: "warned",
    "non-accettazione": "failed",
    "presa-in-carico": "warned",
    "avvenuta-consegna": "delivered",
    "errore-consegna": "failed",
    "preavviso-errore-consegna 4.x.x": "warned",
    "preavviso-errore-consegna 5.x.x": "failed",
    "rilevazione-virus": "failed",
  },
  failed: {
    accettazione: "failed",
    "non-accettazione": "failed",
    "presa-in-carico": "failed",
    "avvenuta-consegna": "delivered",
    "errore-consegna": "failed",
    "preavviso-errore-consegna 4.x.x": "failed",
    "preavviso-errore-consegna 5.x.x": "failed",
    "rilevazione-virus": "failed",
  },
  delivered: {
    accettazione: "delivered",
    "non-accettazione": "delivered",
    "presa-in-carico": "delivered",
    "avvenuta-consegna": "delivered",
    "errore-consegna": "delivered",
    "preavviso-errore-consegna 4.x.x": "delivered",
    "preavviso-errore-consegna 5.x.x": "delivered",
    "rilevazione-virus": "delivered",
  },
};

const statusOf = (state: DispatchState, address: string) => describeRecipient(state, address).status;

const ROWS = (Object.keys(STATES) as RecipientStatus[]).flatMap((from) =>
  (Object.keys(EVENTS) as EventName[]).flatMap((event) =>
    [true, false].map((verified) => ({ from, event, verified, to: verified ? EXPECTED[from][event] : from })),
  ),
);

describe("recipient state machine", () => {
  it("covers every (state × event × verified) combination", () => {
    expect(ROWS).toHaveLength(5 * 8 * 2);
  });

  it.each(ROWS)("$from + $event (verified: $verified) → $to", ({ from, event, verified, to }) => {
    const before = applyDispatchEvents(start(), STATES[from]);
    expect(statusOf(before, A)).toBe(from);
    const after = applyDispatchEvent(before, EVENTS[event](verified));
    expect(statusOf(after, A)).toBe(to);
    expect(after.receipts.e).toBeDefined();
  });

  it.each(Object.keys(EVENTS).filter((name) => name !== "accettazione" && name !== "non-accettazione") as EventName[])(
    "a %s for A leaves B alone",
    (event) => {
      const after = applyDispatchEvent(start(), EVENTS[event](true));
      expect(statusOf(after, B)).toBe("pending");
    },
  );
});

describe("applyDispatchEvent", () => {
  it("ignores a receipt whose id it already has", () => {
    const once = applyDispatchEvent(start(), recipientReceipt("r1", "avvenuta-consegna", [A]));
    expect(applyDispatchEvent(once, recipientReceipt("r1", "errore-consegna", [A]))).toBe(once);
  });

  it("replaces an unverified copy with a verified one, never the reverse", () => {
    const unverified = recipientReceipt("r1", "avvenuta-consegna", [A], { verified: false });
    const verified = recipientReceipt("r1", "avvenuta-consegna", [A]);
    const upgraded = applyDispatchEvents(start(), [unverified, verified]);
    expect(statusOf(upgraded, A)).toBe("delivered");
    expect(applyDispatchEvent(upgraded, unverified)).toBe(upgraded);
  });

  it("matches recipients case-insensitively", () => {
    const state = applyDispatchEvent(start(), recipientReceipt("r1", "avvenuta-consegna", [" A@PEC.test "]));
    expect(statusOf(state, A)).toBe("delivered");
  });

  it("moves the clock forward only", () => {
    const later = applyDispatchEvent(start(), { type: "tick", now: at(minutes(10)) });
    expect(applyDispatchEvent(later, { type: "tick", now: at(minutes(5)) })).toBe(later);
    expect(later.now).toEqual(at(minutes(10)));
  });

  it("is not fooled by a receipt id that names an Object.prototype property", () => {
    const state = applyDispatchEvent(start(), recipientReceipt("__proto__", "avvenuta-consegna", [A]));
    expect(statusOf(state, A)).toBe("delivered");
  });
});

describe("isPermanentError", () => {
  it.each([
    ["altro", "5.4.1 - GESTORE - timeout", true],
    ["altro", "4.4.7 - GESTORE - in attesa", false],
    ["no-dest", "4.2.2 - casella piena", false],
    ["no-dest", null, true],
    ["no-dominio", null, true],
    ["virus", null, true],
    ["altro", null, false],
    ["nessuno", "testo libero", false],
    ["altro", "  5.1.1 - indirizzo non valido", true],
    ["altro", "5.1.10", true],
    ["altro", "51.1.1", false],
  ] as const)("errore=%s errore-esteso=%j → final: %s", (errore, erroreEsteso, expected) => {
    expect(isPermanentError(errore, erroreEsteso)).toBe(expected);
  });
});
