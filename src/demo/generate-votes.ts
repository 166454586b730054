import {
  epochDay,
  fromEpochDay,
  type LocalDate,
  localMidnightUtcMs,
  monthFactor,
  officeSessions,
  type Session,
  weekday,
} from "./calendar.js";
import type { ServiceDefinition } from "./catalogue.js";
import {
  drawEntityQuality,
  drawJudgment,
  drawReason,
  type EntityQuality,
  isPeakMinute,
  NEGATIVE,
  reasonTable,
} from "./distribution.js";
import { createRandom, drawIndex, type Random, randomUuid, type WeightedTable, weightedTable } from "./random.js";

/** Where a vote can be cast: one service at one desk (and its kiosk) of one comune. */
export interface VoteSlot {
  entityIndex: number;
  service: ServiceDefinition;
  /** Relative share of the votes this slot receives. */
  weight: number;
}

export interface VoteGenerationInput {
  seed: number;
  votes: number;
  /** First day with votes (local date). */
  since: LocalDate;
  /** First day without votes (exclusive). */
  until: LocalDate;
  timeZone: string;
  slots: readonly VoteSlot[];
  entityCount: number;
  /** No vote is received after this instant. */
  nowMs: number;
  batchSize?: number;
}

/** Votes in columns, ready for a multi-row insert; indices refer to the input's slots and DEFAULT_REASONS. */
export interface VoteBatch {
  size: number;
  ids: string[];
  slot: Uint32Array;
  /** Index into JUDGMENT_ORDER. */
  judgment: Uint8Array;
  /** Index into DEFAULT_REASONS, −1 for none. */
  reason: Int8Array;
  castAtMs: Float64Array;
  receivedAtMs: Float64Array;
  suspectedRepeat: Uint8Array;
}

/** Share of votes that are a second press within seconds, flagged as suspected repeats. */
export const SUSPECTED_REPEAT_SHARE = 0.006;
const DEFAULT_BATCH_SIZE = 10_000;

function newBatch(capacity: number): VoteBatch {
  return {
    size: 0,
    ids: [],
    slot: new Uint32Array(capacity),
    judgment: new Uint8Array(capacity),
    reason: new Int8Array(capacity),
    castAtMs: new Float64Array(capacity),
    receivedAtMs: new Float64Array(capacity),
    suspectedRepeat: new Uint8Array(capacity),
  };
}

interface DayPlan {
  date: LocalDate;
  sessions: Session[];
  count: number;
}

/** Splits `total` in proportion to `weights`, exactly (largest remainder method). */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let missing = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, i) => ({ i, rest: value - Math.floor(value) })).sort((a, b) => b.rest - a.rest);
  for (const { i } of byRemainder) {
    if (missing-- <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** The days of the window with office hours, and how many votes each gets (busier days get more). */
export function planDays(since: LocalDate, until: LocalDate, votes: number, random: Random): DayPlan[] {
  const days: DayPlan[] = [];
  const weights: number[] = [];
  for (let day = epochDay(since); day < epochDay(until); day++) {
    const date = fromEpochDay(day);
    const sessions = officeSessions(date);
    const minutes = sessions.reduce((sum, s) => sum + (s.end - s.start) * s.rate, 0);
    const noise = random.between(0.85, 1.15);
    days.push({ date, sessions, count: 0 });
    weights.push(minutes * monthFactor(date) * noise);
  }
  allocate(votes, weights).forEach((count, i) => {
    (days[i] as DayPlan).count = count;
  });
  return days;
}

/** A minute of the day inside one of the sessions; triangular inside a session (mid-session peak). */
function drawMinute(sessions: readonly Session[], table: WeightedTable, random: Random): number {
  const session = sessions[drawIndex(table, random)] as Session;
  const shape = (random.next() + random.next()) / 2;
  return session.start + (session.end - session.start) * shape;
}

/** Delay between casting and the gateway receiving: seconds, or hours when the kiosk was offline. */
function drawDelayMs(random: Random): number {
  return random.chance(0.03) ? random.between(60_000, 3 * 3_600_000) : random.between(300, 20_000);
}

interface SlotTables {
  all: WeightedTable;
  saturday: WeightedTable;
  reasons: { normal: WeightedTable; peak: WeightedTable }[];
}

function slotTables(slots: readonly VoteSlot[]): SlotTables {
  return {
    all: weightedTable(slots.map((s) => s.weight)),
    saturday: weightedTable(slots.map((s) => (s.service.saturday ? s.weight : 0))),
    reasons: slots.map((s) => ({
      normal: reasonTable(s.service.code, false),
      peak: reasonTable(s.service.code, true),
    })),
  };
}

/** The vote a suspected repeat copies: the previous one of the same day, wherever the batch boundary fell. */
interface PreviousVote {
  slot: number;
  judgment: number;
  reason: number;
  castAtMs: number;
}

interface DayContext {
  input: VoteGenerationInput;
  tables: SlotTables;
  qualities: EntityQuality[];
  random: Random;
  ids: Random;
  progress: number;
  previous: PreviousVote | null;
}

/** Appends one day's votes, in time order, to `batch`, yielding each batch as it fills. */
function* generateDay(day: DayPlan, context: DayContext, state: { batch: VoteBatch }): Generator<VoteBatch> {
  const { input, tables, random } = context;
  const midnight = localMidnightUtcMs(day.date, input.timeZone);
  const sessionTable = weightedTable(day.sessions.map((s) => (s.end - s.start) * s.rate));
  const slotTable = weekday(day.date) === 6 && tables.saturday.total > 0 ? tables.saturday : tables.all;
  const minutes = new Float64Array(day.count);
  for (let i = 0; i < day.count; i++) minutes[i] = drawMinute(day.sessions, sessionTable, random);
  minutes.sort();
  const capacity = input.batchSize ?? DEFAULT_BATCH_SIZE;
  context.previous = null;
  for (let i = 0; i < day.count; i++) {
    if (state.batch.size === capacity) {
      yield state.batch;
      state.batch = newBatch(capacity);
    }
    appendVote(state.batch, { midnight, minute: minutes[i] as number, slots: slotTable }, context);
  }
}

interface VoteMoment {
  midnight: number;
  minute: number;
  slots: WeightedTable;
}

function appendVote(batch: VoteBatch, { midnight, minute, slots }: VoteMoment, context: DayContext) {
  const { input, tables, random, previous } = context;
  const at = batch.size;
  batch.ids.push(randomUuid(context.ids));
  if (previous && random.chance(SUSPECTED_REPEAT_SHARE)) {
    batch.slot[at] = previous.slot;
    batch.judgment[at] = previous.judgment;
    batch.reason[at] = previous.reason;
    batch.castAtMs[at] = previous.castAtMs + Math.round(random.between(800, 2800));
    batch.suspectedRepeat[at] = 1;
  } else {
    const slotIndex = drawIndex(slots, random);
    const slot = input.slots[slotIndex] as VoteSlot;
    const peak = isPeakMinute(minute);
    const quality = context.qualities[slot.entityIndex] as EntityQuality;
    const judgment = drawJudgment(quality, slot.service, peak, context.progress, random);
    const reasons = tables.reasons[slotIndex];
    batch.slot[at] = slotIndex;
    batch.judgment[at] = judgment;
    batch.reason[at] = judgment === NEGATIVE && reasons ? drawReason(peak ? reasons.peak : reasons.normal, random) : -1;
    batch.castAtMs[at] = Math.round(midnight + minute * 60_000);
    batch.suspectedRepeat[at] = 0;
  }
  const castAtMs = batch.castAtMs[at] as number;
  batch.receivedAtMs[at] = Math.min(input.nowMs, castAtMs + Math.round(drawDelayMs(random)));
  batch.size = at + 1;
  context.previous = {
    slot: batch.slot[at] as number,
    judgment: batch.judgment[at] as number,
    reason: batch.reason[at] as number,
    castAtMs,
  };
}

/** Each comune's baseline quality, the same for a seed whatever the other options. */
export function entityQualities(seed: number, count: number): EntityQuality[] {
  return Array.from({ length: count }, (_, i) => drawEntityQuality(createRandom(seed, 1000 + i)));
}

/**
 * Synthetic votes over the window, in batches, deterministic for a seed: the
 * same input gives the same ids, times and judgments on every run.
 */
export function* generateVotes(input: VoteGenerationInput): Generator<VoteBatch> {
  const days = planDays(input.since, input.until, input.votes, createRandom(input.seed, 1));
  const span = Math.max(1, epochDay(input.until) - epochDay(input.since));
  const context: DayContext = {
    input,
    tables: slotTables(input.slots),
    qualities: entityQualities(input.seed, input.entityCount),
    random: createRandom(input.seed, 2),
    ids: createRandom(input.seed, 3),
    progress: 0,
    previous: null,
  };
  const state = { batch: newBatch(input.batchSize ?? DEFAULT_BATCH_SIZE) };
  for (const day of days) {
    if (day.count === 0) continue;
    context.progress = (epochDay(day.date) - epochDay(input.since)) / span;
    yield* generateDay(day, context, state);
  }
  if (state.batch.size > 0) yield state.batch;
}
