import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import type { ServedCountRange, ServedCountRepository } from "./adapters/served-count-repository.js";
import { servedCountsInvalid } from "./domain/errors.js";
import { readServedCountCsv } from "./domain/served-count-csv.js";
import {
  checkServedCountItems,
  type ServedCount,
  type ServedCountCheck,
  type ServedCountInput,
} from "./domain/served-counts.js";

export interface RecordServedCountsDeps {
  servedCounts: ServedCountRepository;
  clock: Clock;
}

/**
 * Users-served counts, entered as JSON or imported from a spreadsheet's CSV.
 * Both are all-or-nothing: one bad entry refuses the whole load, listing
 * every problem, so a half-imported month never skews a participation rate.
 */
export function createServedCountRecords({ servedCounts, clock }: RecordServedCountsDeps) {
  async function store(entityId: string, check: ServedCountCheck): Promise<number> {
    if (check.errors.length > 0) throw servedCountsInvalid(check.errors);
    return servedCounts.upsert(entityId, check.drafts, clock.now());
  }

  return {
    async list(entityId: string, range: ServedCountRange): Promise<ServedCount[]> {
      if (range.from && range.to && range.to < range.from) {
        throw new AppError("REQUEST_VALIDATION_FAILED", "the range ends before it starts", {
          errors: [{ path: "/to", message: "must not be before from" }],
        });
      }
      return servedCounts.list(entityId, range);
    },

    /** Inserts or replaces each item (keyed by service, channel and period); repeating a call changes nothing. */
    async upsert(entityId: string, items: readonly ServedCountInput[]): Promise<{ upserted: number }> {
      const services = await servedCounts.servicesOf(entityId);
      return { upserted: await store(entityId, checkServedCountItems(items, services)) };
    },

    /** Imports a CSV (columns service, channel, period_start, period_end, count; `,` or `;`). */
    async importCsv(entityId: string, text: string): Promise<{ imported: number }> {
      const services = await servedCounts.servicesOf(entityId);
      return { imported: await store(entityId, readServedCountCsv(text, services)) };
    },
  };
}

export type ServedCountRecords = ReturnType<typeof createServedCountRecords>;
