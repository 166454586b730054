import { sql } from "drizzle-orm";
import { type Database, rowsOf } from "../../db/index.js";
import type { Judgment } from "../../shared/domain.js";
import type { ReportPeriod } from "../domain/report-document.js";

/**
 * Aggregates over every entity (issue 4, national figures). Same rules as an
 * entity's report (report-queries.ts): a vote belongs to the period of its
 * skew-corrected cast time, and suspected repeats are left out. The period's
 * bounds are instants, so one national month is the month of `period.timezone`
 * (Europe/Rome for every Italian entity).
 */

export interface NationalCountRow {
  entityId: string;
  ipaCode: string;
  judgment: Judgment;
  count: number;
}

/** Votes per entity and judgment in [start, end), ordered by IPA code and judgment. */
export async function nationalMonthCounts(db: Database, period: ReportPeriod): Promise<NationalCountRow[]> {
  const result = await db.execute(sql`
    select e.id as entity_id, e.ipa_code, c.judgment, c.count
    from (
      select v.entity_id, v.judgment, count(*) as count
      from vote v
      where coalesce(v.cast_at_corrected, v.cast_at) >= ${period.start}::timestamptz
        and coalesce(v.cast_at_corrected, v.cast_at) < ${period.end}::timestamptz
        and not v.suspected_repeat
      group by 1, 2
    ) c join entity e on e.id = c.entity_id
    order by e.ipa_code, c.judgment`);
  return rowsOf<{ entity_id: string; ipa_code: string; judgment: Judgment; count: number | string }>(result).map(
    (row) => ({ entityId: row.entity_id, ipaCode: row.ipa_code, judgment: row.judgment, count: Number(row.count) }),
  );
}
