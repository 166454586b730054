import { offsetMs } from "../../shared/zoned-time.js";

/**
 * When the monthly draft reports are due (issue 4 "Lifecycle and
 * scheduling"): the draft for month M is made on day `dayOfMonth` of month
 * M+1 at `hour`:00 in the entity's timezone (default day 1, 03:00). Pure:
 * the scheduler asks which months are due at `now` and makes the missing
 * ones, so runs missed during downtime are caught up.
 */
export interface ReportSchedule {
  timezone: string;
  dayOfMonth: number;
  hour: number;
  /** The entity's creation: months that ended before it get no report. */
  since: Date;
}

/** How far back a gateway that was down catches up. */
export const CATCH_UP_MONTHS = 12;

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
}

/** Wall-clock date and hour of `instant` in `timezone`. */
export function localTime(instant: Date, timezone: string): LocalTime {
  const wall = new Date(instant.getTime() + offsetMs(instant.getTime(), timezone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
  };
}

const monthLabel = (year: number, month: number) => `${year}-${String(month).padStart(2, "0")}`;
const monthIndex = (year: number, month: number) => year * 12 + (month - 1);
const fromIndex = (index: number) => ({ year: Math.floor(index / 12), month: (index % 12) + 1 });

/** Labels (`YYYY-MM`) of the months whose draft is due at `now`, oldest first. */
export function dueMonths(schedule: ReportSchedule, now: Date, lookback = CATCH_UP_MONTHS): string[] {
  const local = localTime(now, schedule.timezone);
  const created = localTime(schedule.since, schedule.timezone);
  const current = monthIndex(local.year, local.month);
  // This month's run (for last month) has happened once the wall clock passed day D at hour H.
  const ranThisMonth =
    local.day > schedule.dayOfMonth || (local.day === schedule.dayOfMonth && local.hour >= schedule.hour);
  const newest = current - (ranThisMonth ? 1 : 2);
  const oldest = Math.max(current - lookback, monthIndex(created.year, created.month));
  const due: string[] = [];
  for (let index = oldest; index <= newest; index++) {
    const { year, month } = fromIndex(index);
    due.push(monthLabel(year, month));
  }
  return due;
}
