import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AuditRecord,
  type ChainHead,
  canonicalJson,
  chainEvent,
  GENESIS_HASH,
  hashEvent,
  verifyChain,
} from "../../src/identity/index.js";

const ENTITY = "6f1c2a3b-4d5e-4f60-8a71-9b2c3d4e5f60";

/** A valid chain of `n` rows, one second apart. */
function chainOf(n: number): AuditRecord[] {
  const rows: AuditRecord[] = [];
  for (let i = 0; i < n; i++) {
    const head: ChainHead | null = rows.at(-1) ?? null;
    rows.push(
      chainEvent(head, {
        at: new Date(Date.UTC(2026, 0, 15, 9, 0, i)),
        actor: i % 2 === 0 ? "RSSMRA80A01H501U" : "cli",
        entityId: i === 0 ? null : ENTITY,
        action: i % 3 === 0 ? "login" : "report_sign",
        subject: i % 2 === 0 ? null : `report-${i}`,
        details: { n: i, nested: { b: [1, "two", null], a: true } },
      }),
    );
  }
  return rows;
}

const copy = (rows: AuditRecord[]) => rows.map((row) => ({ ...row, details: structuredClone(row.details) }));

describe("canonical serialisation", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}',
    );
    const withUndefined = { a: 1, b: undefined } as unknown as { a: number };
    expect(canonicalJson(withUndefined)).toBe('{"a":1}');
  });

  it("gives the same hash whatever order the details' keys come in (jsonb reorders them)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (details) => {
        const reversed = Object.fromEntries(Object.entries(details).reverse());
        const event = { seq: 1, at: new Date(0), actor: "cli", entityId: null, action: "login", subject: null };
        expect(hashEvent(GENESIS_HASH, { ...event, details })).toBe(
          hashEvent(GENESIS_HASH, { ...event, details: reversed }),
        );
      }),
    );
  });

  it("refuses numbers JSON cannot carry", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/finite/);
  });
});

describe("verifyChain", () => {
  it("accepts an intact chain and names its head", () => {
    const rows = chainOf(5);
    expect(verifyChain(rows)).toEqual({ ok: true, count: 5, head: { seq: 5, hash: rows[4]?.hash } });
    expect(rows[0]?.previousHash).toBe(GENESIS_HASH);
    expect(rows[1]?.previousHash).toBe(rows[0]?.hash);
  });

  it("accepts the empty log", () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: null });
  });

  const alterations: [string, (row: AuditRecord) => void][] = [
    ["at", (row) => (row.at = new Date(row.at.getTime() + 1))],
    ["actor", (row) => (row.actor = "RSSMRA85T10A562S")],
    ["entityId", (row) => (row.entityId = null)],
    ["action", (row) => (row.action = "logout")],
    ["subject", (row) => (row.subject = "another report")],
    ["details (a value)", (row) => (row.details.n = 99)],
    ["details (a nested value)", (row) => ((row.details.nested as { a: boolean }).a = false)],
    ["details (a key added)", (row) => (row.details.extra = "x")],
    ["hash", (row) => (row.hash = "f".repeat(64))],
    ["previousHash", (row) => (row.previousHash = "e".repeat(64))],
  ];

  it.each(alterations)("finds a row whose %s was changed", (_field, alter) => {
    const rows = copy(chainOf(5));
    alter(rows[2] as AuditRecord);
    const verdict = verifyChain(rows);
    expect(verdict).toMatchObject({ ok: false, count: 2, problem: { seq: 3, kind: "altered" } });
  });

  it("finds an altered row even when its hash was recomputed: the next row no longer links to it", () => {
    const rows = copy(chainOf(5));
    const row = rows[2] as AuditRecord;
    row.actor = "RSSMRA85T10A562S";
    row.hash = hashEvent(row.previousHash, row);
    expect(verifyChain(rows)).toMatchObject({ ok: false, problem: { seq: 4, kind: "broken-link" } });
  });

  it("finds a deleted middle row as a gap in seq", () => {
    const rows = chainOf(5);
    const verdict = verifyChain([...rows.slice(0, 2), ...rows.slice(3)]);
    expect(verdict).toMatchObject({ ok: false, count: 2, problem: { seq: 3, kind: "missing" } });
  });

  it("finds deleted first rows", () => {
    expect(verifyChain(chainOf(5).slice(2))).toMatchObject({
      ok: false,
      count: 0,
      problem: { seq: 1, kind: "missing" },
    });
  });

  it("finds a deleted row when the rows after it were renumbered", () => {
    const rows = copy(chainOf(5));
    const kept = [...rows.slice(0, 2), ...rows.slice(3)].map((row, i) => ({ ...row, seq: i + 1 }));
    // Renumbering changes the hashed seq: the first renumbered row no longer matches its hash.
    expect(verifyChain(kept)).toMatchObject({ ok: false, problem: { seq: 3, kind: "altered" } });
  });

  it("finds reordered rows", () => {
    const rows = chainOf(5);
    const swapped = [rows[0], rows[2], rows[1], rows[3], rows[4]] as AuditRecord[];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, problem: { seq: 2, kind: "missing" } });
    const swappedSeq = copy(rows);
    [swappedSeq[1], swappedSeq[2]] = [
      { ...(rows[2] as AuditRecord), seq: 2 },
      { ...(rows[1] as AuditRecord), seq: 3 },
    ];
    expect(verifyChain(swappedSeq)).toMatchObject({ ok: false, problem: { seq: 2, kind: "altered" } });
  });

  it("finds a row repeated out of order", () => {
    const rows = chainOf(3);
    expect(verifyChain([...rows, rows[1] as AuditRecord])).toMatchObject({
      ok: false,
      count: 3,
      problem: { seq: 2, kind: "broken-link" },
    });
  });

  // A deleted LAST row leaves a shorter chain that is perfectly valid: the chain alone cannot tell.
  // Only a head recorded elsewhere (`faccia audit verify` prints it; `--anchor` checks it) can.
  it("cannot see a deleted last row by itself, but a recorded head can", () => {
    const rows = chainOf(5);
    const truncated = rows.slice(0, 4);
    expect(verifyChain(truncated)).toMatchObject({ ok: true, count: 4 });
    const anchor = { seq: 5, hash: (rows[4] as AuditRecord).hash };
    expect(verifyChain(truncated, { anchor })).toMatchObject({ ok: false, problem: { seq: 5, kind: "missing" } });
    expect(verifyChain(rows, { anchor })).toMatchObject({ ok: true, count: 5 });
  });

  it("finds a log re-hashed from some row on, given a head recorded before", () => {
    const rows = chainOf(5);
    const anchor = { seq: 4, hash: (rows[3] as AuditRecord).hash };
    const forged: AuditRecord[] = rows.slice(0, 2);
    for (const row of rows.slice(2)) {
      const { previousHash: _p, hash: _h, seq: _s, ...fields } = row;
      forged.push(chainEvent(forged.at(-1) ?? null, { ...fields, actor: "forger" }));
    }
    expect(verifyChain(forged)).toMatchObject({ ok: true });
    expect(verifyChain(forged, { anchor })).toMatchObject({ ok: false, problem: { seq: 4, kind: "altered" } });
  });
});
