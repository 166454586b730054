import { type ResponseFailureCode, refuse } from "./errors.js";

/**
 * SAML Core §1.3.3: time values are xs:dateTime in UTC ("Z"), with any number of fractional
 * digits — spid-sp-test case 110 sends microseconds. Digits past milliseconds are truncated, which
 * errs on the side of "earlier" by less than 1 ms. Returns undefined for anything else.
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

export function parseSamlInstant(value: string | undefined): Date | undefined {
  const match = value === undefined ? null : INSTANT.exec(value);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((match[7] ?? "").padEnd(3, "0").slice(0, 3));
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  // Date.UTC rolls 2026-02-30 over to March: a value that does not round-trip is not a date.
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return at;
}

/** The clock the checks read: `now` from the caller and the tolerated skew both ways. */
export interface TimeWindow {
  readonly now: Date;
  readonly skewMs: number;
}

/** A mandatory instant, refused with `code` when missing or malformed. */
export function requireInstant(value: string | undefined, code: ResponseFailureCode, what: string): Date {
  const at = parseSamlInstant(value);
  if (at === undefined) return refuse(code, `${what} is missing or not a UTC xs:dateTime: ${value ?? "(absent)"}`);
  return at;
}

/**
 * An IssueInstant (Response or Assertion): not before the AuthnRequest's own IssueInstant and not in
 * the future, both within the skew. Equal to the request's is fine — spid-sp-test sends exactly
 * that (reference §0.2), so the comparison is `>=`.
 */
export function checkIssueInstant(
  value: string | undefined,
  requestIssueInstant: Date,
  time: TimeWindow,
  what: string,
) {
  const at = requireInstant(value, "SAML_ISSUE_INSTANT_INVALID", `${what} IssueInstant`);
  if (at.getTime() + time.skewMs < requestIssueInstant.getTime()) {
    refuse("SAML_ISSUE_INSTANT_INVALID", `${what} IssueInstant ${value} is before the AuthnRequest`);
  }
  if (at.getTime() > time.now.getTime() + time.skewMs) {
    refuse("SAML_ISSUE_INSTANT_INVALID", `${what} IssueInstant ${value} is in the future`);
  }
}

/** SAML Core §2.5.1.2: NotOnOrAfter is exclusive — at that instant the assertion is already invalid. */
export function isExpired(notOnOrAfter: Date, time: TimeWindow): boolean {
  return time.now.getTime() >= notOnOrAfter.getTime() + time.skewMs;
}

/** SAML Core §2.5.1.2: NotBefore is inclusive. */
export function isNotYetValid(notBefore: Date, time: TimeWindow): boolean {
  return notBefore.getTime() > time.now.getTime() + time.skewMs;
}
