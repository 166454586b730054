import { describe, expect, it } from "vitest";
import {
  easterSunday,
  isItalianHoliday,
  type LocalDate,
  localDateOf,
  monthsBefore,
  utcOffsetMinutes,
  weekday,
} from "../../src/demo/calendar.js";
import { DEFAULT_REASONS, SERVICES } from "../../src/demo/catalogue.js";
import { COMUNI, ipaCodeOf } from "../../src/demo/comuni.js";
import { NEGATIVE, POSITIVE, SUFFICIENT } from "../../src/demo/distribution.js";
import { allocate, generateVotes, type VoteBatch, type VoteGenerationInput } from "../../src/demo/generate-votes.js";
import { createRandom, randomUuid } from "../../src/demo/random.js";
import { servedCountsFor } from "../../src/demo/served-counts.js";

const ROME = "Europe/Rome";

function input(overrides: Partial<VoteGenerationInput> = {}): VoteGenerationInput {
  return {
    seed: 42,
    votes: 20_000,
    since: { year: 2025, month: 1, day: 1 },
    until: { year: 2025, month: 7, day: 1 },
    timeZone: ROME,
    slots: [0, 1, 2].flatMap((entityIndex) =>
      SERVICES.map((service) => ({ entityIndex, service, weight: service.demand })),
    ),
    entityCount: 3,
    nowMs: Date.UTC(2025, 6, 1, 12),
    ...overrides,
  };
}

interface Vote {
  id: string;
  slot: number;
  judgment: number;
  reason: number;
  castAtMs: number;
  receivedAtMs: number;
  repeat: boolean;
}

function votesOf(batches: Iterable<VoteBatch>): Vote[] {
  const votes: Vote[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.size; i++) {
      votes.push({
        id: b.ids[i] as string,
        slot: b.slot[i] as number,
        judgment: b.judgment[i] as number,
        reason: b.reason[i] as number,
        castAtMs: b.castAtMs[i] as number,
        receivedAtMs: b.receivedAtMs[i] as number,
        repeat: b.suspectedRepeat[i] === 1,
      });
    }
  }
  return votes;
}

/** Local wall clock of a vote: date and minutes after midnight in Europe/Rome. */
function localTime(ms: number): { date: LocalDate; minute: number } {
  const shifted = ms + utcOffsetMinutes(ROME, ms) * 60_000;
  const d = new Date(shifted);
  return { date: localDateOf(ms, ROME), minute: d.getUTCHours() * 60 + d.getUTCMinutes() + d.getUTCSeconds() / 60 };
}

describe("synthetic votes", () => {
  const votes = votesOf(generateVotes(input()));
  const share = (judgment: number) => votes.filter((v) => v.judgment === judgment).length / votes.length;

  it("are exactly as many as asked, with unique version 4 UUIDs", () => {
    expect(votes).toHaveLength(20_000);
    expect(new Set(votes.map((v) => v.id)).size).toBe(20_000);
    for (const vote of votes.slice(0, 100))
      expect(vote.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("are the same for the same seed and differ for another", () => {
    expect(votesOf(generateVotes(input({ batchSize: 777 })))).toEqual(votes);
    const other = votesOf(generateVotes(input({ seed: 43 })));
    expect(other[0]?.id).not.toBe(votes[0]?.id);
    expect(other.filter((v) => v.judgment === POSITIVE).length).not.toBe(
      votes.filter((v) => v.judgment === POSITIVE).length,
    );
  });

  it("are mostly positive, some sufficient, few negative", () => {
    expect(share(POSITIVE)).toBeGreaterThanOrEqual(0.75);
    expect(share(POSITIVE)).toBeLessThanOrEqual(0.85);
    expect(share(SUFFICIENT)).toBeGreaterThanOrEqual(0.1);
    expect(share(SUFFICIENT)).toBeLessThanOrEqual(0.15);
    expect(share(NEGATIVE)).toBeGreaterThanOrEqual(0.05);
    expect(share(NEGATIVE)).toBeLessThanOrEqual(0.1);
  });

  it("carry a reason only when negative, most often the waiting time", () => {
    expect(votes.filter((v) => v.reason >= 0 && v.judgment !== NEGATIVE)).toEqual([]);
    const negatives = votes.filter((v) => v.judgment === NEGATIVE);
    const byReason = DEFAULT_REASONS.map((_, i) => negatives.filter((v) => v.reason === i).length);
    expect(Math.max(...byReason)).toBe(byReason[0]);
    expect(DEFAULT_REASONS[0]?.code).toBe("tempo-attesa");
    const withoutReason = negatives.filter((v) => v.reason < 0).length / negatives.length;
    expect(withoutReason).toBeGreaterThan(0.03);
    expect(withoutReason).toBeLessThan(0.2);
  });

  it("fall in office hours: none on Sundays or public holidays, afternoons only on Tuesday and Thursday", () => {
    const times = votes.map((v) => localTime(v.castAtMs));
    expect(times.filter((t) => weekday(t.date) === 0)).toEqual([]);
    expect(times.filter((t) => isItalianHoliday(t.date))).toEqual([]);
    const slack = 3 / 60; // a suspected repeat may land seconds after closing
    for (const { date, minute } of times) {
      const day = weekday(date);
      const morning = minute >= 8 * 60 + 30 && minute <= (day === 6 ? 12 * 60 : 12 * 60 + 30) + slack;
      const afternoon = (day === 2 || day === 4) && minute >= 14 * 60 + 30 && minute <= 17 * 60 + slack;
      expect(morning || afternoon).toBe(true);
    }
  });

  it("are fewer on Saturdays than on weekdays", () => {
    const perWeekday = [0, 0, 0, 0, 0, 0, 0];
    for (const v of votes) {
      const day = weekday(localTime(v.castAtMs).date);
      perWeekday[day] = (perWeekday[day] ?? 0) + 1;
    }
    expect(perWeekday[6]).toBeLessThan((perWeekday[3] ?? 0) / 2);
    expect(perWeekday[6]).toBeGreaterThan(0);
  });

  it("include a few suspected repeats, seconds after the same slot's previous vote", () => {
    const repeats = votes.flatMap((v, i) => (v.repeat ? [[votes[i - 1] as Vote, v] as const] : []));
    expect(repeats.length / votes.length).toBeGreaterThan(0.002);
    expect(repeats.length / votes.length).toBeLessThan(0.015);
    for (const [previous, repeat] of repeats) {
      expect(repeat.slot).toBe(previous.slot);
      expect(repeat.castAtMs - previous.castAtMs).toBeGreaterThan(0);
      expect(repeat.castAtMs - previous.castAtMs).toBeLessThan(3_000);
    }
  });

  it("are received after they are cast and never after now", () => {
    for (const v of votes) {
      expect(v.receivedAtMs).toBeGreaterThanOrEqual(v.castAtMs);
      expect(v.receivedAtMs).toBeLessThanOrEqual(Date.UTC(2025, 6, 1, 12));
    }
  });
});

describe("calendar", () => {
  it.each([
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
  ])("knows Easter %i", (year, expected) => {
    const { month, day } = easterSunday(year);
    expect(`${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`).toBe(expected);
  });

  it("closes on national holidays and Easter Monday", () => {
    expect(isItalianHoliday({ year: 2025, month: 4, day: 25 })).toBe(true);
    expect(isItalianHoliday({ year: 2025, month: 4, day: 21 })).toBe(true);
    expect(isItalianHoliday({ year: 2025, month: 4, day: 22 })).toBe(false);
  });

  it("follows Europe/Rome daylight saving time", () => {
    expect(utcOffsetMinutes(ROME, Date.UTC(2025, 0, 15))).toBe(60);
    expect(utcOffsetMinutes(ROME, Date.UTC(2025, 6, 15))).toBe(120);
  });

  it("goes back whole months, clamping to shorter ones", () => {
    expect(monthsBefore({ year: 2025, month: 5, day: 31 }, 3)).toEqual({ year: 2025, month: 2, day: 28 });
    expect(monthsBefore({ year: 2025, month: 1, day: 15 }, 1)).toEqual({ year: 2024, month: 12, day: 15 });
  });
});

describe("building blocks", () => {
  it("allocates exactly the total", () => {
    expect(allocate(10, [1, 1, 1]).reduce((a, b) => a + b, 0)).toBe(10);
    expect(allocate(7, [0, 2, 5])).toEqual([0, 2, 5]);
  });

  it("draws UUIDs deterministically", () => {
    expect(randomUuid(createRandom(1))).toBe(randomUuid(createRandom(1)));
    expect(randomUuid(createRandom(1))).not.toBe(randomUuid(createRandom(2)));
  });

  it("sets users served so that participation lands between 10 % and 20 %", () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({
      serviceId: `s${i}`,
      serviceKey: `c_x/desk/s${i}`,
      month: "2025-03",
      votes: 100 + i,
    }));
    for (const served of servedCountsFor(rows, 9)) {
      const votes = rows.find((r) => r.serviceId === served.serviceId)?.votes ?? 0;
      expect(votes / served.count).toBeGreaterThanOrEqual(0.099);
      expect(votes / served.count).toBeLessThanOrEqual(0.201);
      expect(served).toMatchObject({ periodStart: "2025-03-01", periodEnd: "2025-03-31" });
    }
  });

  it("names real comuni with c_ + codice catastale IPA codes", () => {
    const codes = COMUNI.map(ipaCodeOf);
    expect(new Set(codes).size).toBe(COMUNI.length);
    for (const code of codes) expect(code).toMatch(/^c_[a-z]\d{3}$/);
    expect(codes).toEqual(expect.arrayContaining(["c_h501", "c_f205", "c_l219", "c_a944"]));
  });
});
