import { describe, expect, it } from "vitest";
import {
  classifySmtpFailure,
  fitsProviderLimit,
  RECOVERY_WINDOW_MS,
  type RecoveryFacts,
  recoverAttempt,
  retryDelayMs,
  type SmtpErrorFacts,
} from "./outbox.js";

const facts = (over: Partial<SmtpErrorFacts>): SmtpErrorFacts => ({
  responseCode: null,
  code: null,
  command: null,
  ...over,
});

describe("SMTP failures (RFC 5321 §4.2.1)", () => {
  it.each([
    [{ responseCode: 421, command: "MAIL FROM" }, "transient"],
    [{ responseCode: 452, command: "RCPT TO" }, "transient"],
    [{ responseCode: 550, command: "DATA" }, "permanent"],
    [{ responseCode: 552, command: "DATA" }, "permanent"],
    [{ responseCode: 535, code: "EAUTH", command: "AUTH PLAIN" }, "credentials"],
    [{ responseCode: 454, command: "AUTH LOGIN" }, "credentials"],
    [{ code: "EAUTH" }, "credentials"],
    [{ code: "ECONNREFUSED" }, "transient"],
    [{ code: "ESOCKET", command: "CONN" }, "transient"],
    [{ code: "ETLS", command: "STARTTLS" }, "transient"],
    [{ code: "ECONNECTION", command: "RCPT TO" }, "transient"],
    // The connection broke or timed out once the message may have been transmitted: unknown.
    [{ code: "ECONNECTION" }, "unknown"],
    [{ code: "ETIMEDOUT" }, "unknown"],
    [{ code: "ECONNECTION", command: "DATA" }, "unknown"],
    [{ code: "ESOCKET", command: "API" }, "unknown"],
  ] as const)("%o is %s", (over, expected) => {
    expect(classifySmtpFailure(facts(over))).toBe(expected);
  });
});

describe("recovering an interrupted submission", () => {
  const since = new Date("2026-11-04T09:00:00Z");
  const plus = (ms: number) => new Date(since.getTime() + ms);
  const base: RecoveryFacts = { sendingSince: since, answer: "none", lastReadAt: null, now: since };

  it.each([
    ["a verified acceptance marks it submitted", { answer: "verified" }, "mark-submitted"],
    [
      "a verified acceptance wins even before the window ends",
      { answer: "verified", now: plus(60_000) },
      "mark-submitted",
    ],
    [
      "only an unverified answer: never resent",
      { answer: "unverified", now: plus(2 * RECOVERY_WINDOW_MS), lastReadAt: plus(2 * RECOVERY_WINDOW_MS) },
      "wait",
    ],
    [
      "inside the window: wait",
      { now: plus(RECOVERY_WINDOW_MS - 1), lastReadAt: plus(RECOVERY_WINDOW_MS - 1) },
      "wait",
    ],
    ["after the window, box never read: wait", { now: plus(RECOVERY_WINDOW_MS) }, "wait"],
    [
      "after the window, box last read before it ended: wait",
      { now: plus(2 * RECOVERY_WINDOW_MS), lastReadAt: plus(RECOVERY_WINDOW_MS - 1) },
      "wait",
    ],
    [
      "after the window, box read since, no answer: requeue",
      { now: plus(RECOVERY_WINDOW_MS), lastReadAt: plus(RECOVERY_WINDOW_MS) },
      "requeue",
    ],
  ] as const)("%s", (_name, over, action) => {
    expect(recoverAttempt({ ...base, ...over }).action).toBe(action);
  });
});

describe("outbox limits", () => {
  it("checks size × recipients against the provider's limit (RFC 6109 §3.1.1)", () => {
    expect(fitsProviderLimit(10, 3, 30)).toBe(true);
    expect(fitsProviderLimit(11, 3, 30)).toBe(false);
    expect(fitsProviderLimit(30, 0, 30)).toBe(true);
  });

  it("backs off 1, 2, 4 … minutes, capped at an hour", () => {
    expect([1, 2, 3, 4, 7, 20].map(retryDelayMs)).toEqual([1, 2, 4, 8, 60, 60].map((m) => m * 60_000));
  });
});
