import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AcceptedVote,
  checkVote,
  clockOffsetMs,
  isRejection,
  MAX_FUTURE_SKEW_MS,
  MAX_VOTE_AGE_MS,
  sameVote,
  suspectedRepeats,
  type VoteInput,
  type VoteRules,
} from "./vote.js";

const now = new Date("2026-11-26T10:00:00Z");
const SERVICE = "7e0a9d38-0c3f-4a53-9a59-3a7f9b1d2c01";
const ELSEWHERE = "7e0a9d38-0c3f-4a53-9a59-3a7f9b1d2c02";
const rules: VoteRules = {
  entityServiceIds: new Set([SERVICE, ELSEWHERE]),
  offeredServiceIds: new Set([SERVICE]),
  reasonCodes: new Set(["tempo-attesa"]),
};
const vote = (overrides: Partial<VoteInput> = {}): VoteInput => ({
  id: "0b9f3f5e-8f0e-4a3c-9f61-1f2f0a8d9c11",
  serviceId: SERVICE,
  judgment: "positive",
  castAt: "2026-11-26T09:59:00Z",
  ...overrides,
});
const codeOf = (input: VoteInput, offsetMs = 0) => {
  const result = checkVote(input, rules, now, offsetMs);
  return isRejection(result) ? result.code : "accepted";
};

describe("checkVote", () => {
  it.each([
    ["accepted", vote()],
    ["accepted", vote({ judgment: "negative", reason: "tempo-attesa" })],
    ["accepted", vote({ judgment: "negative" })],
    ["VOTE_UNKNOWN_SERVICE", vote({ serviceId: "00000000-0000-4000-8000-000000000000" })],
    ["VOTE_SERVICE_NOT_OFFERED", vote({ serviceId: ELSEWHERE })],
    ["VOTE_REASON_NOT_ALLOWED", vote({ judgment: "sufficient", reason: "tempo-attesa" })],
    ["VOTE_UNKNOWN_REASON", vote({ judgment: "negative", reason: "parcheggio" })],
  ])("gives %s", (expected, input) => {
    expect(codeOf(input)).toBe(expected);
  });

  it("accepts up to 5 minutes ahead and refuses beyond", () => {
    const at = (ms: number) => vote({ castAt: new Date(now.getTime() + ms).toISOString() });
    expect(codeOf(at(MAX_FUTURE_SKEW_MS))).toBe("accepted");
    expect(codeOf(at(MAX_FUTURE_SKEW_MS + 1))).toBe("VOTE_CAST_IN_FUTURE");
  });

  it("accepts votes up to 60 days old and refuses older ones", () => {
    const at = (ms: number) => vote({ castAt: new Date(now.getTime() - ms).toISOString() });
    expect(codeOf(at(MAX_VOTE_AGE_MS))).toBe("accepted");
    expect(codeOf(at(MAX_VOTE_AGE_MS + 1))).toBe("VOTE_TOO_OLD");
  });

  it("judges the time window on the skew-corrected time of a kiosk whose clock reset", () => {
    const kioskNow = new Date("2000-01-01T00:00:00Z");
    const offset = clockOffsetMs(kioskNow.toISOString(), now);
    const result = checkVote(vote({ castAt: "1999-12-31T23:59:00Z" }), rules, now, offset) as AcceptedVote;
    expect(isRejection(result)).toBe(false);
    expect(result.castAtCorrected?.toISOString()).toBe("2026-11-26T09:59:00.000Z");
  });

  it("stores no corrected time for a skew within a minute", () => {
    const result = checkVote(vote(), rules, now, 59_000) as AcceptedVote;
    expect(result.castAtCorrected).toBeNull();
  });
});

describe("sameVote", () => {
  const base = { kioskId: "k", serviceId: SERVICE, judgment: "positive", reason: null, castAtMs: 1 };
  it.each([
    ["kioskId", "other"],
    ["serviceId", ELSEWHERE],
    ["judgment", "negative"],
    ["reason", "tempo-attesa"],
    ["castAtMs", 2],
  ])("tells votes apart by %s", (field, value) => {
    expect(sameVote(base, { ...base, [field]: value })).toBe(false);
  });
  it("recognises a resend", () => expect(sameVote(base, { ...base })).toBe(true));
});

describe("suspectedRepeats", () => {
  const at = (id: string, seconds: number) => ({ id, castAtMs: seconds * 1000 });

  it("flags a vote less than the interval after the previous one, stored or in the batch", () => {
    const flagged = suspectedRepeats([at("b", 11), at("c", 20), at("d", 22.5)], [at("a", 10)], 3);
    expect([...flagged].sort()).toEqual(["b", "d"]);
  });

  it("flags nothing when the interval is zero", () => {
    expect(suspectedRepeats([at("a", 1), at("b", 1)], [], 0).size).toBe(0);
  });

  it("never flags the earliest vote and flags one of two votes on the same millisecond", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 40 }), (times) => {
        const batch = times.map((t, i) => ({ id: `v${String(i).padStart(3, "0")}`, castAtMs: t }));
        const flagged = suspectedRepeats(batch, [], 3);
        const sorted = [...batch].sort((a, b) => a.castAtMs - b.castAtMs || (a.id < b.id ? -1 : 1));
        expect(flagged.has((sorted[0] as { id: string }).id)).toBe(false);
        for (let i = 1; i < sorted.length; i++) {
          const gap = (sorted[i] as { castAtMs: number }).castAtMs - (sorted[i - 1] as { castAtMs: number }).castAtMs;
          expect(flagged.has((sorted[i] as { id: string }).id)).toBe(gap < 3000);
        }
      }),
    );
  });
});
