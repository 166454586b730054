import type { Clock } from "../shared/clock.js";
import { dateKey, epochDay, fromEpochDay, type LocalDate, localDateOf, monthsBefore } from "./calendar.js";
import { DEFAULT_REASONS, officesFor, serviceByCode } from "./catalogue.js";
import { COMUNI, type Comune, ipaCodeOf } from "./comuni.js";
import { NEGATIVE, POSITIVE, SUFFICIENT } from "./distribution.js";
import { generateVotes, type VoteBatch, type VoteSlot } from "./generate-votes.js";
import type { DemoStore, EntityStructure, StoredEntity, StoredSlot } from "./ports.js";
import { servedCountsFor } from "./served-counts.js";

export const SEED_TIME_ZONE = "Europe/Rome";
/** How many comuni `faccia demo seed --entities` can name. */
export const MAX_SEED_ENTITIES = COMUNI.length;

export interface SeedOptions {
  votes: number;
  entities: number;
  months: number;
  seed: number;
  /** First day without votes (default: today in Europe/Rome, so votes end yesterday). */
  until?: LocalDate;
  batchSize?: number;
}

export interface VoteTally {
  generated: number;
  positive: number;
  sufficient: number;
  negative: number;
  withReason: number;
  suspectedRepeats: number;
}

export interface SeedReport {
  seed: number;
  /** First day with votes. */
  since: string;
  /** Last day with votes. */
  until: string;
  entities: { ipaCode: string; name: string; created: boolean; offices: number; desks: number; services: number }[];
  votes: VoteTally & { requested: number; inserted: number; skipped: number };
  servedCounts: number;
}

/** The kiosk of a seeded desk: one totem per sportello. */
export function seedKioskName(officeName: string, deskName: string): string {
  return `Totem ${officeName} – ${deskName.split(" – ")[0]}`;
}

/** The organization rows of a seeded comune: offices by size, desks, services, reasons and one kiosk per desk. */
export function seedStructure(comune: Comune): EntityStructure {
  const offices = officesFor(comune.population).map((office) => ({
    name: office.name,
    desks: office.desks.map((desk) => ({
      name: desk.name,
      services: desk.serviceCodes.map((code) => {
        const { name, names } = serviceByCode(code);
        return { code, name, names };
      }),
    })),
  }));
  return {
    ipaCode: ipaCodeOf(comune),
    name: comune.name,
    timezone: SEED_TIME_ZONE,
    offices,
    reasons: DEFAULT_REASONS,
    kiosks: offices.flatMap((office) =>
      office.desks.map((desk) => ({
        name: seedKioskName(office.name, desk.name),
        officeName: office.name,
        deskName: desk.name,
      })),
    ),
  };
}

/**
 * Vote slots of the stored comuni: each comune's share grows with
 * population^0.6 (big cities vote more, not proportionally more), split over
 * its offices by footfall and over services by demand.
 */
export function seedSlots(
  stored: readonly StoredEntity[],
  comuni: readonly Comune[],
): { slots: VoteSlot[]; rows: StoredSlot[] } {
  const slots: VoteSlot[] = [];
  const rows: StoredSlot[] = [];
  stored.forEach((entity, entityIndex) => {
    const comune = comuni[entityIndex] as Comune;
    const footfall = new Map(officesFor(comune.population).map((o) => [o.name, o.footfall]));
    const entries = entity.desks.flatMap((desk) =>
      desk.services.map((service) => ({ desk, service, definition: serviceByCode(service.code) })),
    );
    const raw = entries.map((e) => (footfall.get(e.desk.officeName) ?? 0.3) * e.definition.demand);
    const total = raw.reduce((a, b) => a + b, 0) || 1;
    const share = comune.population ** 0.6;
    entries.forEach((entry, i) => {
      slots.push({ entityIndex, service: entry.definition, weight: (share * (raw[i] as number)) / total });
      rows.push({
        entityId: entity.entityId,
        officeId: entry.desk.officeId,
        deskId: entry.desk.deskId,
        serviceId: entry.service.serviceId,
        kioskId: entity.kioskIds.get(seedKioskName(entry.desk.officeName, entry.desk.deskName)) ?? null,
        reasonIds: entity.reasonIds,
      });
    });
  });
  return { slots, rows };
}

/** Counts judgments as the batches stream past, without holding them. */
export function* tallied(batches: Iterable<VoteBatch>, tally: VoteTally): Generator<VoteBatch> {
  for (const batch of batches) {
    for (let i = 0; i < batch.size; i++) {
      const judgment = batch.judgment[i];
      if (judgment === POSITIVE) tally.positive++;
      else if (judgment === SUFFICIENT) tally.sufficient++;
      else if (judgment === NEGATIVE) tally.negative++;
      if ((batch.reason[i] as number) >= 0) tally.withReason++;
      if (batch.suspectedRepeat[i] === 1) tally.suspectedRepeats++;
    }
    tally.generated += batch.size;
    yield batch;
  }
}

export function emptyTally(): VoteTally {
  return { generated: 0, positive: 0, sufficient: 0, negative: 0, withReason: 0, suspectedRepeats: 0 };
}

export interface SeedDeps {
  store: DemoStore;
  clock: Clock;
  /** Called after each written group of batches. */
  onProgress?: (written: number, total: number) => void;
}

/**
 * `faccia demo seed`: synthetic comuni (real names, plausible IPA codes) and
 * votes for demos and benchmarks. Deterministic for a seed and end date;
 * seeding again with the same options adds nothing (vote ids repeat).
 */
export async function seedDemoData(deps: SeedDeps, options: SeedOptions): Promise<SeedReport> {
  const now = deps.clock.now();
  const until = options.until ?? localDateOf(now.getTime(), SEED_TIME_ZONE);
  const since = monthsBefore(until, options.months);
  const comuni = COMUNI.slice(0, options.entities);
  const stored: StoredEntity[] = [];
  for (const comune of comuni) stored.push(await deps.store.ensureEntity(seedStructure(comune), now));
  const { slots, rows } = seedSlots(stored, comuni);
  const tally = emptyTally();
  const batches = generateVotes({
    seed: options.seed,
    votes: options.votes,
    since,
    until,
    timeZone: SEED_TIME_ZONE,
    slots,
    entityCount: comuni.length,
    nowMs: now.getTime(),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  });
  let written = 0;
  const { inserted } = await deps.store.writeVotes(tallied(batches, tally), rows, (generated) => {
    written += generated;
    deps.onProgress?.(written, options.votes);
  });
  const entityIds = stored.map((e) => e.entityId);
  const served = servedCountsFor(await deps.store.serviceMonthVotes(entityIds, SEED_TIME_ZONE), options.seed);
  await deps.store.saveServedCounts(served);
  return {
    seed: options.seed,
    since: dateKey(since),
    until: dateKey(fromEpochDay(epochDay(until) - 1)),
    entities: stored.map((entity, i) => summarize(entity, comuni[i] as Comune)),
    votes: { ...tally, requested: options.votes, inserted, skipped: tally.generated - inserted },
    servedCounts: served.length,
  };
}

function summarize(entity: StoredEntity, comune: Comune): SeedReport["entities"][number] {
  return {
    ipaCode: entity.ipaCode,
    name: comune.name,
    created: entity.created,
    offices: entity.officeIds.size,
    desks: entity.desks.length,
    services: entity.desks.reduce((sum, desk) => sum + desk.services.length, 0),
  };
}
