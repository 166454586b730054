import { describe, expect, it } from "vitest";
import { arrangeReceipts, NO_FAULTS, type Outgoing, withFaults } from "./sandbox-faults.js";

const item = (kind: Outgoing["kind"], mailbox = "sender@pec.sandbox.test"): Outgoing => ({
  mailbox,
  kind,
  bytes: Buffer.from(kind),
});
const EVENT = [
  item("accettazione"),
  item("posta-certificata", "mario@pec.sandbox.test"),
  item("avvenuta-consegna"),
  item("errore-consegna"),
];
const kinds = (items: readonly Outgoing[]) => items.map((one) => one.kind);

describe("arrangeReceipts", () => {
  it("without faults writes envelopes, then the receipts in the order they were made", () => {
    const { envelopes, receipts } = arrangeReceipts(EVENT, NO_FAULTS);
    expect(kinds(envelopes)).toEqual(["posta-certificata"]);
    expect(kinds(receipts)).toEqual(["accettazione", "avvenuta-consegna", "errore-consegna"]);
  });

  it.each([
    [{ drop: ["avvenuta-consegna" as const] }, ["accettazione", "errore-consegna"]],
    [{ reorder: true }, ["avvenuta-consegna", "errore-consegna", "accettazione"]],
    [
      { duplicate: true },
      ["accettazione", "accettazione", "avvenuta-consegna", "avvenuta-consegna", "errore-consegna", "errore-consegna"],
    ],
    [
      { drop: ["errore-consegna" as const], reorder: true, duplicate: true },
      ["avvenuta-consegna", "avvenuta-consegna", "accettazione", "accettazione"],
    ],
  ])("applies %o to the receipts only", (faults, expected) => {
    const { envelopes, receipts } = arrangeReceipts(EVENT, withFaults(NO_FAULTS, faults));
    expect(kinds(receipts)).toEqual(expected);
    expect(kinds(envelopes)).toEqual(["posta-certificata"]);
  });

  it("duplicates with the same bytes", () => {
    const { receipts } = arrangeReceipts([item("accettazione")], withFaults(NO_FAULTS, { duplicate: true }));
    expect(receipts[0]?.bytes).toBe(receipts[1]?.bytes);
  });
});

describe("withFaults", () => {
  it("merges changes and lower-cases the addresses", () => {
    const faults = withFaults(NO_FAULTS, { rejectRecipients: ["Mario@PEC.sandbox.test"], holdDelivery: ["A@b.test"] });
    expect(faults).toMatchObject({
      rejectRecipients: ["mario@pec.sandbox.test"],
      holdDelivery: ["a@b.test"],
      down: false,
    });
    expect(withFaults(faults, { down: true })).toMatchObject({
      rejectRecipients: ["mario@pec.sandbox.test"],
      down: true,
    });
  });
});
