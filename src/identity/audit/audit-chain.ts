import { createHash } from "node:crypto";
import type { AuditEventFields, AuditRecord, ChainHead, JsonObject, JsonValue } from "../domain/audit-event.js";

/** The `previous_hash` of the first row. */
export const GENESIS_HASH = "0".repeat(64);
/** Names the serialisation below; a different one would need another prefix. */
const FORMAT = "faccia-audit/1\n";

export type ChainProblemKind = "altered" | "missing" | "broken-link";

export interface ChainProblem {
  /** The first row found wrong (or the first missing seq). */
  seq: number;
  kind: ChainProblemKind;
  detail: string;
}

export type ChainVerdict =
  | { ok: true; count: number; head: ChainHead | null }
  | { ok: false; count: number; problem: ChainProblem };

/** JSON with object keys sorted at every depth, no whitespace, and `undefined` members left out. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("audit details: not a finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const members = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`);
  return `{${members.join(",")}}`;
}

/** The bytes a row's hash covers: every field, the time as ISO 8601 UTC, and the previous hash. */
export function canonicalEvent(previousHash: string, event: AuditEventFields): string {
  const fields: JsonObject = {
    action: event.action,
    actor: event.actor,
    at: event.at.toISOString(),
    details: event.details,
    entityId: event.entityId,
    previousHash,
    seq: event.seq,
    subject: event.subject,
  };
  return FORMAT + canonicalJson(fields);
}

/** SHA-256 (hex) of the row chained to its predecessor's hash. */
export function hashEvent(previousHash: string, event: AuditEventFields): string {
  return createHash("sha256").update(canonicalEvent(previousHash, event), "utf8").digest("hex");
}

/** The row that follows `head` (null: the log is empty). */
export function chainEvent(head: ChainHead | null, event: Omit<AuditEventFields, "seq">): AuditRecord {
  const fields = { ...event, seq: (head?.seq ?? 0) + 1 };
  const previousHash = head?.hash ?? GENESIS_HASH;
  return { ...fields, previousHash, hash: hashEvent(previousHash, fields) };
}

export interface ChainVerifierOptions {
  /**
   * A head recorded earlier (`faccia audit verify` prints it). The chain alone cannot tell that
   * rows were deleted from its end, nor that it was rewritten and re-hashed from some row on; a
   * head kept elsewhere can.
   */
  anchor?: ChainHead;
}

/**
 * Checks rows fed in `seq` order, one at a time (the log can be large), and stops at the first
 * problem. A deleted row shows as a gap in `seq` (or as a broken link if the rows after it were
 * renumbered); an altered row as a hash that does not match its fields.
 */
export function createChainVerifier(options: ChainVerifierOptions = {}) {
  let last: ChainHead | null = null;
  let count = 0;
  let problem: ChainProblem | null = null;

  function check(row: AuditRecord): ChainProblem | null {
    const expected = (last?.seq ?? 0) + 1;
    if (row.seq > expected) {
      const range = row.seq - 1 === expected ? `row ${expected} is` : `rows ${expected} to ${row.seq - 1} are`;
      return { seq: expected, kind: "missing", detail: `${range} missing: deleted from the log` };
    }
    if (row.seq < expected) {
      return {
        seq: row.seq,
        kind: "broken-link",
        detail: `row ${row.seq} comes after row ${expected - 1}: out of order`,
      };
    }
    if (hashEvent(row.previousHash, row) !== row.hash) {
      return {
        seq: row.seq,
        kind: "altered",
        detail: `row ${row.seq} does not match its hash: its fields were changed`,
      };
    }
    if (row.previousHash !== (last?.hash ?? GENESIS_HASH)) {
      const before = last ? `row ${last.seq}` : "the start of the log";
      return {
        seq: row.seq,
        kind: "broken-link",
        detail: `row ${row.seq} does not link to ${before}: a row before it was replaced or removed`,
      };
    }
    const anchor = options.anchor;
    if (anchor && anchor.seq === row.seq && anchor.hash !== row.hash) {
      return {
        seq: row.seq,
        kind: "altered",
        detail: `row ${row.seq} differs from the recorded head: the log was rewritten up to here`,
      };
    }
    return null;
  }

  return {
    /** Feeds the next row; returns the problem once one is found (and ignores rows after it). */
    push(row: AuditRecord): ChainProblem | null {
      if (problem) return problem;
      problem = check(row);
      if (!problem) {
        last = { seq: row.seq, hash: row.hash };
        count += 1;
      }
      return problem;
    },
    finish(): ChainVerdict {
      const anchor = options.anchor;
      if (!problem && anchor && anchor.seq > (last?.seq ?? 0)) {
        problem = {
          seq: (last?.seq ?? 0) + 1,
          kind: "missing",
          detail: `the log ends at row ${last?.seq ?? 0} but the recorded head is row ${anchor.seq}: rows were deleted from the end`,
        };
      }
      return problem ? { ok: false, count, problem } : { ok: true, count, head: last };
    },
  };
}

/** `createChainVerifier` over rows already in memory. */
export function verifyChain(rows: Iterable<AuditRecord>, options: ChainVerifierOptions = {}): ChainVerdict {
  const verifier = createChainVerifier(options);
  for (const row of rows) if (verifier.push(row)) break;
  return verifier.finish();
}
