import type { Cell, ReportPeriod } from "../../domain/report-document.js";
import type { Catalogue } from "./catalogue.js";

/**
 * Number and date formatting written out by hand rather than with
 * Intl.NumberFormat: ICU/CLDR data differ between Node builds (it-IT, for
 * one, stopped grouping four-digit numbers), and the PDF must be the same
 * bytes wherever it is regenerated. Italian: 12.345 and 62,5; English: 12,345 and 62.5.
 */
export function formatInteger(n: number, cat: Catalogue): string {
  const digits = Math.abs(Math.trunc(n)).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, cat.thousandsSeparator);
  return n < 0 ? `-${grouped}` : grouped;
}

/** One decimal, as the report model rounds percentages and indexes. */
export function formatDecimal(n: number, cat: Catalogue): string {
  const [whole = "0", fraction = "0"] = Math.abs(n).toFixed(1).split(".");
  const sign = n < 0 && Number(`${whole}.${fraction}`) !== 0 ? "-" : "";
  return `${sign}${formatInteger(Number(whole), cat)}${cat.decimalSeparator}${fraction}`;
}

export function formatPercent(n: number | null, cat: Catalogue): string {
  return n === null ? "–" : `${formatDecimal(n, cat)}%`;
}

/** An index change in percentage points, always signed ("+2,5 p.p."). */
export function formatChange(pp: number | null, cat: Catalogue): string {
  if (pp === null) return "–";
  const text = formatDecimal(pp, cat);
  return `${pp > 0 ? "+" : ""}${text} ${cat.pointsUnit}`;
}

/** A published count: "<N" when suppressed (issue 4 "Privacy"). */
export function formatCount(cell: Cell, minCellSize: number, cat: Catalogue): string {
  if (cell.suppressed || cell.count === null) return `<${minCellSize}`;
  return formatInteger(cell.count, cat);
}

/** "2026-10-01" → "1 ottobre 2026". Local calendar dates need no timezone maths. */
export function formatLocalDate(date: string, cat: Catalogue): string {
  const [year = "", month = "1", day = "1"] = date.split("-");
  return `${Number(day)} ${cat.months[Number(month) - 1] ?? month} ${year}`;
}

/**
 * An instant shown in the entity's timezone: "1 novembre 2026, 03:00 (Europe/Rome)".
 * Only the numeric parts come from Intl (timezone rules); the words come from the catalogue.
 */
export function formatInstant(iso: string, timeZone: string, cat: Catalogue): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const date = `${part("year")}-${part("month")}-${part("day")}`;
  return `${formatLocalDate(date, cat)}, ${part("hour")}:${part("minute")} (${timeZone})`;
}

/** The period as a reader names it: "ottobre 2026", "4° trimestre 2026", "Anno 2026", or the date range. */
export function formatPeriod(period: ReportPeriod, cat: Catalogue): string {
  const [year = "", month = "1"] = period.firstDay.split("-");
  switch (period.kind) {
    case "month":
      return `${cat.months[Number(month) - 1] ?? month} ${year}`;
    case "quarter":
      return cat.quarter(Math.floor((Number(month) - 1) / 3) + 1, year);
    case "year":
      return cat.year(year);
    case "custom":
      return formatDateRange(period, cat);
  }
}

export function formatDateRange(period: ReportPeriod, cat: Catalogue): string {
  return cat.periodDates(formatLocalDate(period.firstDay, cat), formatLocalDate(period.lastDay, cat));
}

/** A short axis label for the trend chart: "ott 26", "Q4 26", "2026", "01/10". */
export function formatPeriodShort(period: ReportPeriod, cat: Catalogue): string {
  const [year = "", month = "1", day = "1"] = period.firstDay.split("-");
  switch (period.kind) {
    case "month":
      return `${(cat.months[Number(month) - 1] ?? month).slice(0, 3)} ${year.slice(2)}`;
    case "quarter":
      return `Q${Math.floor((Number(month) - 1) / 3) + 1} ${year.slice(2)}`;
    case "year":
      return year;
    case "custom":
      return `${day}/${month}`;
  }
}
