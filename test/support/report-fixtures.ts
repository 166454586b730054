import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { type Database, tables } from "../../src/db/index.js";
import type { OrgFixture } from "./fixtures.js";

type Judgment = "positive" | "sufficient" | "negative";

/** What the seeded October 2026 of `c_test` must add up to (suspected repeats excluded). */
export const OCTOBER = {
  anagrafe: { positive: 12, sufficient: 6, negative: 4 },
  tributi: { positive: 3, sufficient: 0, negative: 1 },
  reasons: { "tempo-attesa": 2, cortesia: 1, none: 2 },
  suspectedRepeats: 2,
  total: 26,
  positive: 15,
  satisfactionIndex: 57.7,
  late: [{ period: "2026-09", count: 1 }],
} as const;

/**
 * Votes for report tests, at known local times in Rome: October 2026 (the
 * report), September 2026 (previous period) and October 2025 (a year ago),
 * plus two suspected repeats and a late vote cast in September but received
 * in October. The entity is dated 2025 so the scheduler considers it.
 */
export async function seedReportVotes(db: Database, org: OrgFixture): Promise<void> {
  await db
    .update(tables.entities)
    .set({ createdAt: new Date("2025-01-10T09:00:00Z") })
    .where(eq(tables.entities.id, org.entityId));
  const reasonIds = new Map(
    (
      await db
        .select({ id: tables.reasons.id, code: tables.reasons.code })
        .from(tables.reasons)
        .where(eq(tables.reasons.entityId, org.entityId))
    ).map((r) => [r.code, r.id]),
  );
  const rows: Array<typeof tables.votes.$inferInsert> = [];
  const add = (
    serviceId: string,
    judgment: Judgment,
    count: number,
    castAt: string,
    extra: Partial<typeof tables.votes.$inferInsert> = {},
  ) => {
    for (let i = 0; i < count; i++) {
      const at = new Date(new Date(castAt).getTime() + i * 60_000);
      rows.push({
        id: randomUUID(),
        entityId: org.entityId,
        officeId: org.officeId,
        deskId: org.deskId,
        serviceId,
        judgment,
        castAt: at,
        receivedAt: at,
        ...extra,
      });
    }
  };
  const { anagrafe, tributi } = org.serviceIds;
  // October 2026; the first minutes of 1 October local time are still 30 September in UTC.
  add(anagrafe, "positive", 12, "2026-09-30T22:05:00Z");
  add(anagrafe, "sufficient", 6, "2026-10-15T08:00:00Z");
  add(anagrafe, "negative", 2, "2026-10-20T09:00:00Z", { reasonId: reasonIds.get("tempo-attesa") ?? null });
  add(anagrafe, "negative", 1, "2026-10-21T09:00:00Z", { reasonId: reasonIds.get("cortesia") ?? null });
  add(anagrafe, "negative", 1, "2026-10-22T09:00:00Z");
  add(tributi, "positive", 3, "2026-10-31T22:30:00Z"); // 31 Oct 23:30 in Rome (CET): still October
  add(tributi, "negative", 1, "2026-10-05T10:00:00Z");
  add(anagrafe, "positive", 2, "2026-10-15T08:00:10Z", { suspectedRepeat: true });
  // Not October: 1 November 00:10 local, and September.
  add(anagrafe, "negative", 1, "2026-10-31T23:10:00Z");
  add(anagrafe, "positive", 10, "2026-09-10T08:00:00Z");
  add(anagrafe, "negative", 10, "2026-09-11T08:00:00Z");
  add(anagrafe, "positive", 1, "2026-09-29T08:00:00Z", { receivedAt: new Date("2026-10-02T08:00:00Z") });
  add(anagrafe, "positive", 5, "2025-10-10T08:00:00Z");
  await db.insert(tables.votes).values(rows);
}
