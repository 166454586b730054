/**
 * Fault injection for the sandbox provider: what real providers do to a client (reference/pec.md
 * §6 "Duplicates and ordering", §10.7) — late, lost, duplicated and out-of-order receipts, a
 * recipient refused, a recipient's provider that never answers, the service down.
 */
import type { SandboxReceiptKind } from "./sandbox-receipt.js";

export interface SandboxFaults {
  /** Receipts are written this long after the envelopes (real time: keep it short in tests). */
  readonly receiptDelayMs: number;
  /** Receipts of these kinds are never written. */
  readonly drop: readonly SandboxReceiptKind[];
  /** Every receipt is written twice, same bytes and Message-ID. */
  readonly duplicate: boolean;
  /** For each message, the consegna receipts are written before the accettazione. */
  readonly reorder: boolean;
  /** These recipients get an errore-consegna `no-dest` even when their box exists. */
  readonly rejectRecipients: readonly string[];
  /**
   * These recipients' provider does not answer: no envelope, no consegna; `runDeadlines()` then
   * issues the 12-hour preavviso and the 24-hour avviso. Lifting the hold delivers them.
   */
  readonly holdDelivery: readonly string[];
  /** The SMTP service answers 421 to new connections and commands. */
  readonly down: boolean;
}

export const NO_FAULTS: SandboxFaults = {
  receiptDelayMs: 0,
  drop: [],
  duplicate: false,
  reorder: false,
  rejectRecipients: [],
  holdDelivery: [],
  down: false,
};

/** Merges `changes` into `faults` (an undefined field changes nothing); addresses are compared lower-cased. */
export function withFaults(faults: SandboxFaults, changes: Partial<SandboxFaults>): SandboxFaults {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  const merged: SandboxFaults = { ...faults, ...defined };
  const lower = (addresses: readonly string[]) => addresses.map((address) => address.toLowerCase());
  return { ...merged, rejectRecipients: lower(merged.rejectRecipients), holdDelivery: lower(merged.holdDelivery) };
}

/** A message the provider writes into a mailbox: a receipt, or an envelope. */
export interface Outgoing {
  readonly mailbox: string;
  readonly kind: SandboxReceiptKind | "posta-certificata" | "errore";
  readonly bytes: Uint8Array;
}

const RECEIPT_KINDS: ReadonlySet<string> = new Set<SandboxReceiptKind>([
  "accettazione",
  "non-accettazione",
  "avvenuta-consegna",
  "errore-consegna",
  "preavviso-errore-consegna",
]);

export function isReceipt(item: Outgoing): boolean {
  return RECEIPT_KINDS.has(item.kind);
}

/**
 * What is written, in order, for the messages of one event: envelopes untouched, then the
 * receipts with `drop`, `reorder` and `duplicate` applied (the delay is the writer's).
 */
export function arrangeReceipts(
  items: readonly Outgoing[],
  faults: SandboxFaults,
): { envelopes: Outgoing[]; receipts: Outgoing[] } {
  const dropped: ReadonlySet<string> = new Set(faults.drop);
  const envelopes = items.filter((item) => !isReceipt(item));
  let receipts = items.filter((item) => isReceipt(item) && !dropped.has(item.kind));
  if (faults.reorder) {
    const first = receipts.filter((item) => item.kind !== "accettazione");
    receipts = [...first, ...receipts.filter((item) => item.kind === "accettazione")];
  }
  if (faults.duplicate) receipts = receipts.flatMap((item) => [item, item]);
  return { envelopes, receipts };
}
