/**
 * The provider's wall-clock time of an instant, as daticert `<data>` and the `Date:` header write
 * it: local time in the provider's zone plus its offset (reference/pec.md §3, "+0100 winter,
 * +0200 summer"; a fake provider must not hard-code the offset).
 */
import { offsetMs } from "../../shared/zoned-time.js";

/** The Italian providers' zone. */
export const PROVIDER_TIME_ZONE = "Europe/Rome";

export interface ProviderTime {
  /** `dd/mm/yyyy`. */
  readonly day: string;
  /** `hh:mm:ss`. */
  readonly time: string;
  /** `+0100`. */
  readonly zone: string;
  /** RFC 5322 §3.3 date-time, e.g. `Tue, 13 Nov 2018 16:39:26 +0100`. */
  readonly rfc5322: string;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** Whole seconds: daticert has one-second precision, and so has the Date header. */
export function providerTime(at: Date, timeZone: string = PROVIDER_TIME_ZONE): ProviderTime {
  const instant = Math.floor(at.getTime() / 1000) * 1000;
  const offset = offsetMs(instant, timeZone);
  const local = new Date(instant + offset);
  const minutes = Math.abs(offset) / 60_000;
  const zone = `${offset < 0 ? "-" : "+"}${pad(Math.floor(minutes / 60))}${pad(minutes % 60)}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const year = pad(local.getUTCFullYear(), 4);
  const weekday = WEEKDAYS[local.getUTCDay()] ?? "";
  const month = MONTHS[local.getUTCMonth()] ?? "";
  return {
    day: `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${year}`,
    time,
    zone,
    rfc5322: `${weekday}, ${pad(local.getUTCDate())} ${month} ${year} ${time} ${zone}`,
  };
}
