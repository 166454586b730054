import {
  civilDateOf,
  daysInMonth,
  epochDayOf,
  isoDateOf,
  isTimeZone,
  localEpochDay,
  parseIsoDate,
  rfc3339Utc,
  startOfLocalDay,
} from "../../shared/zoned-time.js";
import type { PeriodKind, ReportPeriod } from "./report-document.js";

/**
 * Reporting periods (issue 4 "Content"): calendar month (the default),
 * quarter, year, or a custom range of days. Boundaries are local midnights in
 * the entity's IANA time zone, converted to UTC instants, so a period is
 * `[start, end)` and a vote belongs to the period containing its `castAt`.
 * Months on both sides of a DST change have 743 or 745 hours, not 744.
 *
 * Constructors throw `RangeError` on impossible arguments (month 13, an
 * unknown zone); `parsePeriod` is the entry point for text from users.
 */

export const DEFAULT_TIMEZONE = "Europe/Rome";

const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

function requireYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}`);
  }
}

function requireTimeZone(timeZone: string): void {
  if (!isTimeZone(timeZone)) throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
}

/** A period from its inclusive first and last local days (epoch days). */
function periodOf(kind: PeriodKind, label: string, firstDay: number, lastDay: number, timeZone: string): ReportPeriod {
  requireTimeZone(timeZone);
  requireYear(civilDateOf(firstDay).year);
  requireYear(civilDateOf(lastDay).year);
  return {
    kind,
    label,
    firstDay: isoDateOf(firstDay),
    lastDay: isoDateOf(lastDay),
    timezone: timeZone,
    start: rfc3339Utc(startOfLocalDay(firstDay, timeZone)),
    end: rfc3339Utc(startOfLocalDay(lastDay + 1, timeZone)),
  };
}

/** A calendar month, `month` 1–12: `monthPeriod(2026, 10)` is `2026-10`. */
export function monthPeriod(year: number, month: number, timeZone: string = DEFAULT_TIMEZONE): ReportPeriod {
  requireYear(year);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`month ${month} is outside 1–12`);
  const first = epochDayOf({ year, month, day: 1 });
  const label = `${year}-${String(month).padStart(2, "0")}`;
  return periodOf("month", label, first, first + daysInMonth(year, month) - 1, timeZone);
}

/** A calendar quarter, `quarter` 1–4: `quarterPeriod(2026, 4)` is `2026-Q4` (October to December). */
export function quarterPeriod(year: number, quarter: number, timeZone: string = DEFAULT_TIMEZONE): ReportPeriod {
  requireYear(year);
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    throw new RangeError(`quarter ${quarter} is outside 1–4`);
  }
  const first = epochDayOf({ year, month: quarter * 3 - 2, day: 1 });
  const next = epochDayOf({ year, month: quarter * 3 + 1, day: 1 });
  return periodOf("quarter", `${year}-Q${quarter}`, first, next - 1, timeZone);
}

/** A calendar year: `yearPeriod(2026)` is `2026`. */
export function yearPeriod(year: number, timeZone: string = DEFAULT_TIMEZONE): ReportPeriod {
  requireYear(year);
  const first = epochDayOf({ year, month: 1, day: 1 });
  return periodOf("year", String(year), first, epochDayOf({ year: year + 1, month: 1, day: 1 }) - 1, timeZone);
}

/** A custom range of local days, both inclusive (`YYYY-MM-DD`): label `2026-10-01..2026-10-15`. */
export function customPeriod(firstDay: string, lastDay: string, timeZone: string = DEFAULT_TIMEZONE): ReportPeriod {
  const first = parseIsoDate(firstDay);
  const last = parseIsoDate(lastDay);
  if (first === null) throw new RangeError(`${JSON.stringify(firstDay)} is not a calendar date YYYY-MM-DD`);
  if (last === null) throw new RangeError(`${JSON.stringify(lastDay)} is not a calendar date YYYY-MM-DD`);
  if (last < first) throw new RangeError(`the range ends (${lastDay}) before it starts (${firstDay})`);
  return customOf(first, last, timeZone);
}

function customOf(first: number, last: number, timeZone: string): ReportPeriod {
  return periodOf("custom", `${isoDateOf(first)}..${isoDateOf(last)}`, first, last, timeZone);
}

/**
 * Reads a period label: `2026-10` (month), `2026-Q4` (quarter), `2026` (year)
 * or `2026-10-01..2026-10-15` (custom, both days inclusive). Throws
 * `RangeError` with a message fit for the user otherwise.
 */
export function parsePeriod(text: string, timeZone: string = DEFAULT_TIMEZONE): ReportPeriod {
  const label = text.trim();
  const month = /^(\d{4})-(\d{2})$/.exec(label);
  if (month) return monthPeriod(Number(month[1]), Number(month[2]), timeZone);
  const quarter = /^(\d{4})-[Qq](\d)$/.exec(label);
  if (quarter) return quarterPeriod(Number(quarter[1]), Number(quarter[2]), timeZone);
  if (/^\d{4}$/.test(label)) return yearPeriod(Number(label), timeZone);
  const custom = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(label);
  if (custom?.[1] && custom[2]) return customPeriod(custom[1], custom[2], timeZone);
  throw new RangeError(
    `${JSON.stringify(text)} is not a period: expected YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD..YYYY-MM-DD`,
  );
}

function firstOf(period: ReportPeriod): { year: number; month: number; first: number; last: number } {
  const first = parseIsoDate(period.firstDay);
  const last = parseIsoDate(period.lastDay);
  if (first === null || last === null) throw new RangeError(`period ${period.label} has malformed days`);
  return { ...civilDateOf(first), first, last };
}

/** The period `steps` periods away of the same kind (negative: earlier); a custom range moves by its length. */
function shiftPeriod(period: ReportPeriod, steps: number): ReportPeriod {
  const { year, month, first, last } = firstOf(period);
  const zone = period.timezone;
  switch (period.kind) {
    case "month": {
      const index = year * 12 + (month - 1) + steps;
      return monthPeriod(Math.floor(index / 12), (index % 12) + 1, zone);
    }
    case "quarter": {
      const index = year * 4 + Math.floor((month - 1) / 3) + steps;
      return quarterPeriod(Math.floor(index / 4), (index % 4) + 1, zone);
    }
    case "year":
      return yearPeriod(year + steps, zone);
    case "custom": {
      const length = last - first + 1;
      return customOf(first + steps * length, last + steps * length, zone);
    }
  }
}

/** The period just before: same kind; for a custom range, as many days ending the day before it starts. */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  return shiftPeriod(period, -1);
}

/**
 * The same period one year earlier (issue 4: "comparison ... with the same
 * period a year earlier"). A custom range keeps its days of the calendar;
 * 29 February becomes 28 February.
 */
export function samePeriodYearAgo(period: ReportPeriod): ReportPeriod {
  if (period.kind !== "custom")
    return shiftPeriod(period, period.kind === "month" ? -12 : period.kind === "quarter" ? -4 : -1);
  const { first, last } = firstOf(period);
  return customOf(yearEarlier(first), yearEarlier(last), period.timezone);
}

function yearEarlier(epochDay: number): number {
  const { year, month, day } = civilDateOf(epochDay);
  return epochDayOf({ year: year - 1, month, day: Math.min(day, daysInMonth(year - 1, month)) });
}

/** The last `count` periods of the same kind, oldest first, ending with `period` itself (the 12-point trend). */
export function lastPeriods(period: ReportPeriod, count: number): ReportPeriod[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count ${count} must be a positive integer`);
  return Array.from({ length: count }, (_, index) => shiftPeriod(period, index - count + 1));
}

/** The month, quarter or year of `timeZone` that contains `instant`. */
export function periodContaining(
  instant: Date,
  kind: Exclude<PeriodKind, "custom">,
  timeZone: string = DEFAULT_TIMEZONE,
): ReportPeriod {
  requireTimeZone(timeZone);
  const { year, month } = civilDateOf(localEpochDay(instant.getTime(), timeZone));
  if (kind === "month") return monthPeriod(year, month, timeZone);
  if (kind === "quarter") return quarterPeriod(year, Math.ceil(month / 3), timeZone);
  return yearPeriod(year, timeZone);
}

/** Whether `instant` falls in `[period.start, period.end)`. */
export function periodIncludes(period: ReportPeriod, instant: Date): boolean {
  const at = instant.getTime();
  return at >= Date.parse(period.start) && at < Date.parse(period.end);
}

/** Number of local calendar days in the period. */
export function periodDays(period: ReportPeriod): number {
  const { first, last } = firstOf(period);
  return last - first + 1;
}
