import { hashToUnit } from "./random.js";

/** Desk votes of one service in one calendar month (`YYYY-MM`, entity time zone). */
export interface ServiceMonthVotes {
  serviceId: string;
  /** Stable name of the service across databases: `ipaCode/deskName/serviceCode`. */
  serviceKey: string;
  month: string;
  votes: number;
}

/** A users-served figure for one service and calendar month. */
export interface ServedCount {
  serviceId: string;
  periodStart: string;
  periodEnd: string;
  count: number;
}

/** MLF participation (votes ÷ users served) is typically 10–20 %. */
export const PARTICIPATION_RANGE = [0.1, 0.2] as const;

/** The last day of a `YYYY-MM` month, as `YYYY-MM-DD`. */
export function lastDayOfMonth(month: string): string {
  const [year, monthNumber] = month.split("-").map(Number);
  const last = new Date(Date.UTC(year ?? 1970, monthNumber ?? 1, 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, "0")}`;
}

/**
 * Users served per service and month such that the participation rate lands
 * between 10 % and 20 %, fixed per (seed, service, month) so reruns agree.
 */
export function servedCountsFor(rows: readonly ServiceMonthVotes[], seed: number): ServedCount[] {
  const [low, high] = PARTICIPATION_RANGE;
  return rows.map((row) => {
    const participation = low + (high - low) * hashToUnit(seed, `${row.serviceKey}/${row.month}`);
    return {
      serviceId: row.serviceId,
      periodStart: `${row.month}-01`,
      periodEnd: lastDayOfMonth(row.month),
      count: Math.max(row.votes, Math.round(row.votes / participation)),
    };
  });
}
