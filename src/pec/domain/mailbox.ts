/**
 * How the gateway reads a PEC mailbox (issue 6 "Receipts"): the same surface over IMAP (imapflow,
 * the production path and Dovecot in tests) and over a Maildir read directly (the embedded default,
 * where the sandbox provider writes the Maildir on this machine).
 *
 * Progress is tracked with UIDVALIDITY and UID (RFC 3501 §2.3.1.1), never with `\Seen`: a person
 * reading the box in webmail must not hide a receipt from us. Processed messages are moved to
 * `Faccia/Elaborati` after the database commit, never deleted: the provider's box is evidence too.
 */

/** Where the reader stopped: the last UID committed under one UIDVALIDITY. */
export interface MailboxCursor {
  readonly uidValidity: string;
  readonly uid: number;
}

/** One message found in the inbox, byte for byte as the server has it. */
export interface MailboxMessage {
  /** Opaque and stable within the mailbox: `imap:<uidValidity>:<uid>` or `maildir:<unique name>`. */
  readonly key: string;
  /** IMAP position; null for a Maildir read directly (the file's presence in the inbox is the state). */
  readonly position: MailboxCursor | null;
  readonly raw: Uint8Array;
  /** IMAP INTERNALDATE or the Maildir file's modification time. */
  readonly receivedAt: Date | null;
}

export interface MailboxReader {
  /** For logs and staff views, without secrets: `imap://box@host:port/INBOX` or the Maildir path. */
  readonly description: string;
  /**
   * The messages still in the inbox, oldest first, at most `limit`. With a cursor whose UIDVALIDITY
   * matches the mailbox, only UIDs above it; with another UIDVALIDITY (the server renumbered), all.
   * A broken connection rejects with `MailboxUnavailableError`; the next call reconnects.
   */
  fetch(cursor: MailboxCursor | null, limit: number): Promise<MailboxMessage[]>;
  /**
   * After the database commit: move these messages to `Faccia/Elaborati` (created when missing).
   * Keys that are not this mailbox's current ones (an older UIDVALIDITY, another reader) are
   * ignored, and a message already moved is not an error: a retry after a crash is harmless.
   */
  markProcessed(keys: readonly string[]): Promise<void>;
  /**
   * Resolves when new mail may have arrived (IMAP IDLE when the server offers it), after `pollMs`
   * at the latest, or at once when `signal` aborts. Never rejects: a broken IDLE just ends the wait.
   */
  waitForChange(pollMs: number, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export type MailboxErrorCode = "PEC_MAILBOX_UNAVAILABLE" | "PEC_MAILBOX_AUTH_FAILED";

/**
 * The mailbox could not be reached or the connection broke; retry later. The message names the
 * mailbox by its `description` and never carries the password; `cause` is the library's error.
 */
export class MailboxUnavailableError extends Error {
  override readonly name: string = "MailboxUnavailableError";
  readonly code: MailboxErrorCode = "PEC_MAILBOX_UNAVAILABLE";
}

/**
 * The server refused the credentials (IMAP `NO [AUTHENTICATIONFAILED]`, RFC 5530): retrying will not
 * help until staff fix the password, which PEC providers make expire. Still a
 * `MailboxUnavailableError`, so code that only retries keeps working.
 */
export class MailboxAuthenticationError extends MailboxUnavailableError {
  override readonly name: string = "MailboxAuthenticationError";
  override readonly code: MailboxErrorCode = "PEC_MAILBOX_AUTH_FAILED";
}

/** The folder processed messages are moved to (created on first use). */
export const PROCESSED_FOLDER = "Faccia/Elaborati";
