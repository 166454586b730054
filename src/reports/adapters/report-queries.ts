import { sql } from "drizzle-orm";
import { type Database, rowsOf } from "../../db/index.js";
import type { Channel, Judgment } from "../../shared/domain.js";
import type { ReportInputs, ReportPeriod, VoteCountRow } from "../domain/report-document.js";

/**
 * The aggregate queries behind a report. Each one is scoped to an entity. A
 * vote belongs to the period of its cast time (issue 4): the kiosk's
 * `castAt`, corrected for clock skew when the gateway stored a correction.
 * That expression has its own index (`vote_entity_effective_cast_idx`): the
 * queries must spell it exactly as the index does for the planner to use it.
 */

/** The cast time a report uses: the skew-corrected one when the gateway stored it. */
const castTime = sql.raw("coalesce(v.cast_at_corrected, v.cast_at)");

interface VoteRow {
  office_id: string;
  desk_id: string | null;
  service_id: string;
  channel: Channel;
  judgment: Judgment;
  reason_code: string | null;
  count: number | string;
}

/** Votes per office, desk, service, channel, judgment and reason in [start, end); suspected repeats left out. */
export async function voteCounts(db: Database, entityId: string, period: ReportPeriod): Promise<VoteCountRow[]> {
  const result = await db.execute(sql`
    select v.office_id, v.desk_id, v.service_id, v.channel, v.judgment, r.code as reason_code, count(*) as count
    from vote v left join reason r on r.id = v.reason_id
    where v.entity_id = ${entityId}
      and ${castTime} >= ${period.start}::timestamptz and ${castTime} < ${period.end}::timestamptz
      and not v.suspected_repeat
    group by 1, 2, 3, 4, 5, 6`);
  return rowsOf<VoteRow>(result).map((row) => ({
    officeId: row.office_id,
    deskId: row.desk_id,
    serviceId: row.service_id,
    channel: row.channel,
    judgment: row.judgment,
    reasonCode: row.reason_code,
    count: Number(row.count),
  }));
}

/** Votes per judgment in each of `periods` (one query for the whole trend). */
export async function trendCounts(
  db: Database,
  entityId: string,
  periods: ReportPeriod[],
): Promise<ReportInputs["trend"]> {
  if (periods.length === 0) return [];
  const starts = `{${periods.map((p) => p.start).join(",")}}`;
  const ends = `{${periods.map((p) => p.end).join(",")}}`;
  const result = await db.execute(sql`
    select p.idx::int as idx, v.judgment, count(*) as count
    from unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) with ordinality as p(s, e, idx)
    join vote v on v.entity_id = ${entityId}
      and ${castTime} >= p.s and ${castTime} < p.e and not v.suspected_repeat
    group by 1, 2`);
  const trend = periods.map((period) => ({ period, positive: 0, sufficient: 0, negative: 0 }));
  for (const row of rowsOf<{ idx: number; judgment: Judgment; count: number | string }>(result)) {
    const point = trend[Number(row.idx) - 1];
    if (point) point[row.judgment] += Number(row.count);
  }
  return trend;
}

/** Users served per service and channel, summed over imports that fall inside the period. */
export async function servedCounts(
  db: Database,
  entityId: string,
  period: ReportPeriod,
): Promise<ReportInputs["served"]> {
  const result = await db.execute(sql`
    select service_id, channel, sum(count) as count from served_count
    where entity_id = ${entityId} and period_start >= ${period.firstDay}::date and period_end <= ${period.lastDay}::date
    group by 1, 2`);
  return rowsOf<{ service_id: string; channel: Channel; count: number | string }>(result).map((row) => ({
    serviceId: row.service_id,
    channel: row.channel,
    count: Number(row.count),
  }));
}

/** Every kiosk of the entity with its heartbeat days and votes in the period. */
export async function kioskActivity(
  db: Database,
  entityId: string,
  period: ReportPeriod,
): Promise<ReportInputs["kiosks"]> {
  const result = await db.execute(sql`
    select k.id, k.name, k.office_id, k.status,
      (select count(*) from kiosk_heartbeat_day h
        where h.kiosk_id = k.id and h.day between ${period.firstDay}::date and ${period.lastDay}::date) as beat_days,
      (select count(*) from vote v where v.entity_id = ${entityId} and v.kiosk_id = k.id
        and ${castTime} >= ${period.start}::timestamptz and ${castTime} < ${period.end}::timestamptz) as votes
    from kiosk k where k.entity_id = ${entityId}
    order by k.name, k.id`);
  return rowsOf<{
    id: string;
    name: string;
    office_id: string;
    status: string;
    beat_days: number | string;
    votes: number | string;
  }>(result).map((row) => ({
    id: row.id,
    name: row.name,
    officeId: row.office_id,
    daysWithHeartbeat: Number(row.beat_days),
    votes: Number(row.votes),
    active: row.status === "active",
  }));
}

/** Data-quality counts: suspected repeats, late votes by their own month, rejections by code. */
export async function qualityCounts(
  db: Database,
  entity: { id: string; timezone: string },
  period: ReportPeriod,
): Promise<ReportInputs["quality"]> {
  const [repeats, late, rejections] = await Promise.all([
    db.execute(sql`
      select count(*) as count from vote v where v.entity_id = ${entity.id} and v.suspected_repeat
        and ${castTime} >= ${period.start}::timestamptz and ${castTime} < ${period.end}::timestamptz`),
    // Received in this period, cast before it: counted in their own period, listed here. The
    // gateway refuses votes cast more than 60 days before they arrive (VOTE_TOO_OLD), so a lower
    // bound on the cast time keeps this on the entity's cast-time index instead of its whole history.
    db.execute(sql`
      select to_char(${castTime} at time zone ${entity.timezone}, 'YYYY-MM') as period, count(*) as count
      from vote v where v.entity_id = ${entity.id}
        and v.received_at >= ${period.start}::timestamptz and v.received_at < ${period.end}::timestamptz
        and ${castTime} >= ${period.start}::timestamptz - interval '61 days'
        and ${castTime} < ${period.start}::timestamptz and not v.suspected_repeat
      group by 1 order by 1`),
    db.execute(sql`
      select code, count(*) as count from vote_rejection
      where entity_id = ${entity.id} and rejected_at >= ${period.start}::timestamptz and rejected_at < ${period.end}::timestamptz
      group by 1 order by 1`),
  ]);
  return {
    suspectedRepeats: Number(rowsOf<{ count: number | string }>(repeats)[0]?.count ?? 0),
    late: rowsOf<{ period: string; count: number | string }>(late).map((r) => ({
      period: r.period,
      count: Number(r.count),
    })),
    rejections: rowsOf<{ code: string; count: number | string }>(rejections).map((r) => ({
      code: r.code,
      count: Number(r.count),
    })),
  };
}
