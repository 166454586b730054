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

/** The result of one SMTP submission, as the sender adapter reports it. */
export type SmtpOutcome =
  | { readonly ok: true; readonly response: string }
  | { readonly ok: false; readonly permanent: boolean; readonly response: string };

/**
 * SMTP reply classes (RFC 5321 §4.2.1): 2yz accepted, 4yz transient, 5yz permanent. Anything
 * without a reply code (connection refused, timeout, TLS failure) is transient.
 */
export function classifySmtpReply(code: number | null, response: string): SmtpOutcome {
  if (code !== null && code >= 200 && code < 300) return { ok: true, response };
  return { ok: false, permanent: code !== null && code >= 500 && code < 600, response };
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
  /** The provider answered (accettazione or non-accettazione): the attempt was accepted by SMTP. */
  | { readonly action: "mark-submitted" }
  /** The attempt may still be running, or its acceptance may still come: do nothing yet. */
  | { readonly action: "wait"; readonly until: Date }
  /** No answer within the window: the submission never reached the provider; send again. */
  | { readonly action: "requeue" };

/** What to do with a dispatch left in `sending` since `sendingSince`. */
export function recoverAttempt(sendingSince: Date, providerAnswered: boolean, now: Date): RecoveryDecision {
  if (providerAnswered) return { action: "mark-submitted" };
  // The window outlasts the sending lease, so a live attempt is never taken for a crashed one.
  const windowEnds = sendingSince.getTime() + RECOVERY_WINDOW_MS;
  if (now.getTime() < windowEnds) return { action: "wait", until: new Date(windowEnds) };
  return { action: "requeue" };
}
