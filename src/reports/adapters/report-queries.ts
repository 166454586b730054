import { and, eq, sql } from "drizzle-orm";
import { type Database, rowsOf, tables } from "../../db/index.js";
import type { Channel, Judgment } from "../../shared/domain.js";
import type { ReportInputs, ReportPeriod, VoteCountRow } from "../domain/report-document.js";

/**
 * The aggregate queries behind a report. Each one is scoped to an entity. A
 * vote belongs to the period of its cast time (issue 4): the kiosk's
 * `castAt`, corrected for clock skew when the gateway stored a correction.
 *
 * Counts come from the daily rollup `vote_day` (drizzle/0002_vote_day.sql),
 * which triggers keep exact on every write to `vote`: a report period is
 * whole local days of the entity's time zone, and a rollup day is the local
 * day of the corrected cast time in that same zone, so `firstDay..lastDay`
 * selects exactly the votes of [start, end). Only the late-vote listing,
 * which is about arrival time, reads the votes themselves.
 */

const { voteDays } = tables;

/** The cast time a vote query uses: the skew-corrected one when the gateway stored it (index-matched). */
const castTime = sql.raw("coalesce(v.cast_at_corrected, v.cast_at)");

/** A vote count with its reason by id: the caller names reasons from the catalogue it already read. */
export type VoteCountByReasonId = Omit<VoteCountRow, "reasonCode"> & { reasonId: string | null };

/**
 * The two queries every report runs four times (the month, the previous one, a year ago, the
 * trend), prepared once per database: Drizzle's query building costs more than a small
 * entity's query itself (a few dozen rollup rows, a quarter of a millisecond).
 */
export function createVoteCountQueries(db: Database) {
  const days = and(
    eq(voteDays.entityId, sql.placeholder("entityId")),
    sql`${voteDays.day} between ${sql.placeholder("firstDay")}::date and ${sql.placeholder("lastDay")}::date`,
    eq(voteDays.suspectedRepeat, false),
  );
  const byCell = db
    .select({
      officeId: voteDays.officeId,
      deskId: voteDays.deskId,
      serviceId: voteDays.serviceId,
      channel: voteDays.channel,
      judgment: voteDays.judgment,
      reasonId: voteDays.reasonId,
      count: sql<string>`sum(${voteDays.count})`,
    })
    .from(voteDays)
    .where(days)
    .groupBy(
      voteDays.officeId,
      voteDays.deskId,
      voteDays.serviceId,
      voteDays.channel,
      voteDays.judgment,
      voteDays.reasonId,
    )
    .prepare("report_vote_counts");
  const byPeriodAndJudgment = db
    .select({ idx: sql<number>`p.idx::int`, judgment: voteDays.judgment, count: sql<string>`sum(${voteDays.count})` })
    .from(
      sql`unnest(${sql.placeholder("firstDays")}::date[], ${sql.placeholder("lastDays")}::date[])
        with ordinality as p(first_day, last_day, idx)`,
    )
    .innerJoin(
      voteDays,
      and(
        eq(voteDays.entityId, sql.placeholder("entityId")),
        sql`${voteDays.day} between p.first_day and p.last_day`,
        eq(voteDays.suspectedRepeat, false),
      ),
    )
    .groupBy(sql`1`, voteDays.judgment)
    .prepare("report_trend_counts");

  return {
    /** Votes per office, desk, service, channel, judgment and reason in the period; suspected repeats left out. */
    async voteCounts(entityId: string, period: ReportPeriod): Promise<VoteCountByReasonId[]> {
      const rows = await byCell.execute({ entityId, firstDay: period.firstDay, lastDay: period.lastDay });
      return rows.map((row) => ({
        ...row,
        channel: row.channel as Channel,
        judgment: row.judgment as Judgment,
        count: Number(row.count),
      }));
    },

    /** Votes per judgment in each of `periods` (one query for the whole trend). */
    async trendCounts(entityId: string, periods: ReportPeriod[]): Promise<ReportInputs["trend"]> {
      if (periods.length === 0) return [];
      const rows = await byPeriodAndJudgment.execute({
        entityId,
        firstDays: `{${periods.map((p) => p.firstDay).join(",")}}`,
        lastDays: `{${periods.map((p) => p.lastDay).join(",")}}`,
      });
      const trend = periods.map((period) => ({ period, positive: 0, sufficient: 0, negative: 0 }));
      for (const row of rows) {
        const point = trend[Number(row.idx) - 1];
        if (point) point[row.judgment as Judgment] += Number(row.count);
      }
      return trend;
    },
  };
}

export type VoteCountQueries = ReturnType<typeof createVoteCountQueries>;

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
      (select coalesce(sum(d.count), 0) from vote_day d where d.entity_id = ${entityId} and d.kiosk_id = k.id
        and d.day between ${period.firstDay}::date and ${period.lastDay}::date) as votes
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
      select coalesce(sum(d.count), 0) as count from vote_day d where d.entity_id = ${entity.id}
        and d.day between ${period.firstDay}::date and ${period.lastDay}::date and d.suspected_repeat`),
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
