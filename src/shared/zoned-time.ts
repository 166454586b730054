/**
 * Civil dates and IANA time zones without a date library. Node 20 has no
 * Temporal, so a zone's UTC offset at an instant is read from
 * `Intl.DateTimeFormat` (backed by the ICU time-zone database), and calendar
 * arithmetic is done on "epoch days" (days since 1970-01-01, proleptic
 * Gregorian), which `Date.UTC` handles without any zone.
 */

const MS_PER_DAY = 86_400_000;

/** A calendar date with no zone: `month` 1–12, `day` 1–31. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Days since 1970-01-01 of a civil date (any year 1–9999). */
export function epochDayOf({ year, month, day }: CivilDate): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.floor(date.getTime() / MS_PER_DAY);
}

export function civilDateOf(epochDay: number): CivilDate {
  const date = new Date(epochDay * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** `YYYY-MM-DD` (ISO 8601 calendar date, four-digit year). */
export function isoDateOf(epochDay: number): string {
  const { year, month, day } = civilDateOf(epochDay);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** The epoch day of `YYYY-MM-DD`, or null unless it names a real calendar day. */
export function parseIsoDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const epochDay = epochDayOf(date);
  const back = civilDateOf(epochDay);
  return back.year === date.year && back.month === date.month && back.day === date.day ? epochDay : null;
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return epochDayOf({ year, month: month + 1, day: 1 }) - epochDayOf({ year, month, day: 1 });
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows `timeZone` as an IANA zone name. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock time at `instantMs`, as if it were UTC milliseconds (whole seconds). */
function wallClockMs(instantMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const date = new Date(0);
  date.setUTCFullYear(fields.year ?? 1970, (fields.month ?? 1) - 1, fields.day ?? 1);
  date.setUTCHours(fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0, 0);
  return date.getTime();
}

/** The zone's offset from UTC at `instantMs`, in milliseconds (Rome: +3600000 in winter). */
export function offsetMs(instantMs: number, timeZone: string): number {
  const wholeSeconds = Math.floor(instantMs / 1000) * 1000;
  return wallClockMs(wholeSeconds, timeZone) - wholeSeconds;
}

/** The local calendar day of an instant in `timeZone`, as an epoch day. */
export function localEpochDay(instantMs: number, timeZone: string): number {
  return Math.floor(wallClockMs(instantMs, timeZone) / MS_PER_DAY);
}

/**
 * The first instant (UTC ms) of a local calendar day: local midnight, or, in
 * zones whose clocks jump forward at midnight (America/Santiago, formerly
 * Asia/Beirut), the instant of the jump. Where midnight happens twice (a
 * fall-back at midnight), the earlier one. Offsets are taken a day either side,
 * so one transition near midnight is handled; two within two days never occur.
 */
export function startOfLocalDay(epochDay: number, timeZone: string): number {
  const wallMidnight = epochDay * MS_PER_DAY;
  const before = offsetMs(wallMidnight - MS_PER_DAY, timeZone);
  const after = offsetMs(wallMidnight + MS_PER_DAY, timeZone);
  const candidates = [wallMidnight - before, wallMidnight - after]
    .filter((instant) => offsetMs(instant, timeZone) === wallMidnight - instant)
    .sort((a, b) => a - b);
  // No valid candidate: midnight falls in a gap; the day starts at the jump, the
  // instant where the offset before the transition would have reached midnight.
  return candidates[0] ?? wallMidnight - before;
}

/** RFC 3339 UTC timestamp with whole seconds: `2026-09-30T22:00:00Z`. */
export function rfc3339Utc(instantMs: number): string {
  return `${new Date(instantMs).toISOString().slice(0, 19)}Z`;
}
