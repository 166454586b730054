/**
 * Calendar arithmetic for synthetic votes: local dates, Italian public
 * holidays, front-office hours, and local time → UTC for a time zone.
 * Pure: the time zone rules come from the runtime's Intl data, no clock.
 */

import { offsetMs } from "../shared/zoned-time.js";

/** A calendar date in the entity's time zone. */
export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

/** A span of office hours on one day, in minutes after local midnight, with its relative footfall per minute. */
export interface Session {
  start: number;
  end: number;
  rate: number;
}

const DAY_MS = 86_400_000;

export function dateKey(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

export function parseDateKey(key: string): LocalDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!match) throw new Error(`expected a date as YYYY-MM-DD, got "${key}"`);
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const roundTrip = fromEpochDay(epochDay(date));
  if (dateKey(roundTrip) !== key) throw new Error(`no such date: ${key}`);
  return date;
}

/** Days since 1970-01-01 (the date's number, independent of any time zone). */
export function epochDay(date: LocalDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;
}

export function fromEpochDay(day: number): LocalDate {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: LocalDate): number {
  return new Date(epochDay(date) * DAY_MS).getUTCDay();
}

/** The same day `months` months earlier, clamped to the end of a shorter month (31 May − 3 → 28/29 Feb). */
export function monthsBefore(date: LocalDate, months: number): LocalDate {
  const index = date.year * 12 + (date.month - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(date.day, lastDay) };
}

/** Easter Sunday (Gregorian calendar, anonymous "Meeus/Jones/Butcher" algorithm). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

/** National public holidays (L. 260/1949 and later amendments), plus Easter Monday. */
const FIXED_HOLIDAYS = ["01-01", "01-06", "04-25", "05-01", "06-02", "08-15", "11-01", "12-08", "12-25", "12-26"];

export function isItalianHoliday(date: LocalDate): boolean {
  if (FIXED_HOLIDAYS.includes(dateKey(date).slice(5))) return true;
  const easterMonday = fromEpochDay(epochDay(easterSunday(date.year)) + 1);
  return easterMonday.month === date.month && easterMonday.day === date.day;
}

/**
 * Typical front-office hours of an Italian comune: weekday mornings
 * 8:30–12:30, Tuesday and Thursday afternoons 14:30–17:00, a lighter
 * Saturday morning; closed on Sundays and public holidays.
 */
export function officeSessions(date: LocalDate): Session[] {
  if (isItalianHoliday(date)) return [];
  const morning = { start: 8 * 60 + 30, end: 12 * 60 + 30 };
  switch (weekday(date)) {
    case 0:
      return [];
    case 6:
      return [{ start: morning.start, end: 12 * 60, rate: 0.3 }];
    case 1:
      return [{ ...morning, rate: 1.15 }];
    case 2:
    case 4:
      return [
        { ...morning, rate: 1 },
        { start: 14 * 60 + 30, end: 17 * 60, rate: 0.55 },
      ];
    default:
      return [{ ...morning, rate: 1 }];
  }
}

/** Fewer citizens in August and over Christmas, more in January and September. */
const MONTH_FACTOR = [1.1, 1, 1, 0.95, 1, 0.95, 0.85, 0.55, 1.1, 1.05, 1, 0.8];

export function monthFactor(date: LocalDate): number {
  return MONTH_FACTOR[date.month - 1] ?? 1;
}

/** The offset of `timeZone` from UTC at `instantMs`, in minutes (Europe/Rome: 60 or 120). */
export function utcOffsetMinutes(timeZone: string, instantMs: number): number {
  return Math.round(offsetMs(instantMs, timeZone) / 60_000);
}

/**
 * The UTC instant of local midnight of `date`, using the offset at local
 * noon: correct for every time of the day after the small-hours DST switch.
 */
export function localMidnightUtcMs(date: LocalDate, timeZone: string): number {
  const noonAsUtc = epochDay(date) * DAY_MS + 12 * 3_600_000;
  return epochDay(date) * DAY_MS - utcOffsetMinutes(timeZone, noonAsUtc) * 60_000;
}

/** The local date of an instant in `timeZone`. */
export function localDateOf(instantMs: number, timeZone: string): LocalDate {
  const shifted = instantMs + utcOffsetMinutes(timeZone, instantMs) * 60_000;
  return fromEpochDay(Math.floor(shifted / DAY_MS));
}
