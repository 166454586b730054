import { and, asc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/index.js";
import { tables } from "../../db/index.js";
import type { Channel } from "../../shared/domain.js";
import type { ServedCount, ServedCountDraft, ServiceRef } from "../domain/served-counts.js";
import { guardConstraints } from "./constraint-errors.js";

const { servedCounts, services } = tables;

/** Rows per INSERT: 7 parameters each stays far below Postgres' 65,535-parameter limit. */
const CHUNK_ROWS = 1000;

export interface ServedCountRange {
  from?: string | undefined;
  to?: string | undefined;
}

export type ServedCountRepository = ReturnType<typeof createServedCountRepository>;

/** Users-served counts per service, channel and period. */
export function createServedCountRepository(db: Database) {
  return {
    /** Every service of the entity, active or not: counts may be recorded for past periods. */
    async servicesOf(entityId: string): Promise<ServiceRef[]> {
      return db.select({ id: services.id, code: services.code }).from(services).where(eq(services.entityId, entityId));
    },

    /** Counts whose period overlaps `from`..`to` (both inclusive, both optional). */
    async list(entityId: string, range: ServedCountRange): Promise<ServedCount[]> {
      const conditions: SQL[] = [eq(servedCounts.entityId, entityId)];
      if (range.from) conditions.push(gte(servedCounts.periodEnd, range.from));
      if (range.to) conditions.push(lte(servedCounts.periodStart, range.to));
      const rows = await db
        .select({
          id: servedCounts.id,
          serviceId: servedCounts.serviceId,
          serviceCode: services.code,
          channel: servedCounts.channel,
          periodStart: servedCounts.periodStart,
          periodEnd: servedCounts.periodEnd,
          count: servedCounts.count,
          updatedAt: servedCounts.updatedAt,
        })
        .from(servedCounts)
        .innerJoin(services, eq(services.id, servedCounts.serviceId))
        .where(and(...conditions))
        .orderBy(asc(servedCounts.periodStart), asc(services.code), asc(servedCounts.channel));
      return rows.map((row) => ({ ...row, channel: row.channel as Channel, updatedAt: row.updatedAt.toISOString() }));
    },

    /** Inserts or replaces every draft in one transaction: all stored, or none. */
    async upsert(entityId: string, drafts: readonly ServedCountDraft[], now: Date): Promise<number> {
      return guardConstraints({}, () =>
        db.transaction(async (tx) => {
          for (let start = 0; start < drafts.length; start += CHUNK_ROWS) {
            const chunk = drafts.slice(start, start + CHUNK_ROWS);
            await tx
              .insert(servedCounts)
              .values(chunk.map((draft) => ({ ...draft, entityId, createdAt: now, updatedAt: now })))
              .onConflictDoUpdate({
                target: [
                  servedCounts.serviceId,
                  servedCounts.channel,
                  servedCounts.periodStart,
                  servedCounts.periodEnd,
                ],
                set: { count: sql`excluded.count`, updatedAt: now },
              });
          }
          return drafts.length;
        }),
      );
    },
  };
}
