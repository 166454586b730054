/**
 * The outbox rules of a dispatch (issue 6 "Sending"), pure: what an SMTP answer means, when to try
 * again, whether a message fits the provider's limit, and what a crashed attempt may do.
 *
 * The message is committed with our own Message-ID before any SMTP call; a worker sends it. The
 * one thing that must never happen is sending twice: an attempt that started but never recorded its
 * outcome (the process died) may have been accepted, so recovery first looks for the provider's
 * ricevuta di accettazione (or avviso di non accettazione) for that Message-ID, and sends again
 * only when none has come within the recovery window.
 */

export type OutboxState = "queued" | "sending" | "submitted" | "refused";

/**
 * Why a submission failed, as far as the gateway can know (RFC 5321 §4.2.1 reply classes):
 * - `transient`: a 4yz reply, or a failure before the message was handed over; try again later;
 * - `permanent`: a 5yz reply; the dispatch fails with the server's text;
 * - `credentials`: the provider refused the login (530, 534, 535, 454): nothing can succeed until
 *   staff fix the password (PEC passwords expire), so retry without using up attempts;
 * - `unknown`: the connection broke or timed out after the message may have been transmitted; the
 *   provider may have it, so it is never sent again blindly: recovery settles it from the receipts.
 */
export type SmtpFailure = "transient" | "permanent" | "credentials" | "unknown";

/** The result of one SMTP submission, as the sender adapter reports it. */
export type SmtpOutcome =
  | { readonly ok: true; readonly response: string }
  | { readonly ok: false; readonly failure: SmtpFailure; readonly response: string };

/** What the SMTP client reported: the reply code if any, its error code, the command in progress. */
export interface SmtpErrorFacts {
  readonly responseCode: number | null;
  /** nodemailer's error code: ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE, ... */
  readonly code: string | null;
  /** The SMTP command in progress when it failed: CONN, EHLO, AUTH PLAIN, MAIL FROM, RCPT TO, DATA, ... */
  readonly command: string | null;
}

const CREDENTIAL_REPLIES = new Set([454, 530, 534, 535]);
/** Failures that happen before the message text is sent: the provider cannot have it. */
const BEFORE_MESSAGE_CODES = new Set(["ECONNREFUSED", "EDNS", "ETLS", "EGREETING", "EENVELOPE", "EAUTH"]);
const BEFORE_MESSAGE_COMMAND = /^(CONN|EHLO|HELO|LHLO|STARTTLS|AUTH|MAIL|RCPT)/i;

export function classifySmtpFailure(facts: SmtpErrorFacts): SmtpFailure {
  const { responseCode: reply, code, command } = facts;
  if (code === "EAUTH" || (reply !== null && CREDENTIAL_REPLIES.has(reply))) return "credentials";
  if (reply !== null && reply >= 500 && reply < 600) return "permanent";
  if (reply !== null && reply >= 400 && reply < 500) return "transient";
  if ((code !== null && BEFORE_MESSAGE_CODES.has(code)) || (command !== null && BEFORE_MESSAGE_COMMAND.test(command)))
    return "transient";
  return "unknown";
}

/** Backoff after the n-th failed attempt (1-based): 1, 2, 4, 8 … minutes, capped at one hour. */
export function retryDelayMs(attempt: number): number {
  const minutes = 2 ** Math.max(0, Math.min(attempt - 1, 6));
  return Math.min(minutes, 60) * 60_000;
}

/** After this many transient failures the dispatch stops retrying and fails (about a day). */
export const MAX_ATTEMPTS = 30;

/** The legal minimum a provider must accept for size × recipients (RFC 6109 §3.1.1; DM 2005). */
export const DEFAULT_MAX_MESSAGE_BYTES = 30 * 1024 * 1024;

/**
 * A PEC provider checks the message size multiplied by the number of recipients against its limit
 * (RFC 6109 §3.1.1): check it before sending, so the refusal is ours and immediate.
 */
export function fitsProviderLimit(messageBytes: number, recipients: number, maxBytes: number): boolean {
  return messageBytes * Math.max(1, recipients) <= maxBytes;
}

/** How long recovery waits for the acceptance of a crashed attempt before sending again. */
export const RECOVERY_WINDOW_MS = 30 * 60_000;

export type RecoveryDecision =
  /** The provider answered (verified accettazione or non-accettazione): SMTP had accepted it. */
  | { readonly action: "mark-submitted" }
  /** The attempt may still be running, its answer may still come, or nothing can be known yet. */
  | { readonly action: "wait"; readonly reason: string }
  /** No answer within the window, though the box was read after it: the provider never had it. */
  | { readonly action: "requeue" };

export interface RecoveryFacts {
  /** When the interrupted attempt started. */
  readonly sendingSince: Date;
  /** What the stored receipts say (only a verified receipt proves anything). */
  readonly answer: "verified" | "unverified" | "none";
  /** The last successful read of the sending box; null if never. */
  readonly lastReadAt: Date | null;
  readonly now: Date;
}

/**
 * What to do with a dispatch left in `sending`. Sending again is the one irreversible step, so it
 * needs positive evidence that the provider never took the message: the recovery window (which
 * outlasts any live attempt) has passed **and** the box has been read successfully since, with no
 * answer of any kind. An unverified answer proves nothing either way: staff decide.
 */
export function recoverAttempt(facts: RecoveryFacts): RecoveryDecision {
  if (facts.answer === "verified") return { action: "mark-submitted" };
  if (facts.answer === "unverified")
    return {
      action: "wait",
      reason: "only an unverified receipt answers this submission: check it before sending again",
    };
  const windowEnds = facts.sendingSince.getTime() + RECOVERY_WINDOW_MS;
  if (facts.now.getTime() < windowEnds) return { action: "wait", reason: "waiting for the provider's receipt" };
  if (facts.lastReadAt === null || facts.lastReadAt.getTime() < windowEnds)
    return { action: "wait", reason: "the mailbox has not been read since the recovery window ended" };
  return { action: "requeue" };
}
