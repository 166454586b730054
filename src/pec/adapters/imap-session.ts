import { type ExistsEvent, ImapFlow, type Logger as ImapFlowLogger, type ImapFlowOptions } from "imapflow";
import type { Logger } from "../../shared/logger.js";
import { isLoopbackHost } from "../../shared/loopback.js";
import { MailboxAuthenticationError, MailboxUnavailableError } from "../domain/mailbox.js";

export interface ImapMailboxOptions {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS (IMAPS, port 993: what PEC providers offer). Without it, STARTTLS is required off loopback. */
  readonly secure: boolean;
  readonly user: string;
  /** Sent only in LOGIN/AUTHENTICATE, which imapflow masks in its logs; never in `description` or errors. */
  readonly password: string;
  /** Default `INBOX`. */
  readonly mailbox?: string;
  readonly tls?: { readonly rejectUnauthorized?: boolean; readonly ca?: string };
  /** TCP/TLS connect and greeting timeout each; imapflow's defaults (90 s, 16 s) otherwise. */
  readonly connectTimeoutMs?: number;
  /** imapflow's own log entries go here at debug level; `false` or absent: none. */
  readonly logger?: Logger | false;
}

/** One connection at a time: opened on first use, replaced on the next call after it broke. */
export interface ImapSession {
  readonly description: string;
  readonly mailbox: string;
  /** A connected, authenticated client; rejects with `MailboxUnavailableError`. */
  open(): Promise<ImapFlow>;
  /** Drops the current connection (after an error) so the next `open()` starts afresh. */
  discard(): void;
  /** Logs out; later `open()` calls reject. */
  close(): Promise<void>;
  /** Wraps any error from imapflow or the socket, without the password. */
  failure(error: unknown, action: string): MailboxUnavailableError;
}

/** `imap://user@host:port/INBOX` (RFC 5092 form), `imaps://` with implicit TLS; no password. */
export function describeImapMailbox(options: ImapMailboxOptions): string {
  const scheme = options.secure ? "imaps" : "imap";
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const mailbox = options.mailbox ?? "INBOX";
  return `${scheme}://${encodeURIComponent(options.user)}@${host}:${options.port}/${encodeURIComponent(mailbox)}`;
}

/**
 * @param onNewMail called when the selected mailbox grows (an untagged `EXISTS`, RFC 3501 §7.3.1),
 *   whatever command or IDLE brought the news.
 */
export function createImapSession(options: ImapMailboxOptions, onNewMail: () => void): ImapSession {
  const description = describeImapMailbox(options);
  const log = options.logger ? options.logger.child({ mailbox: description }) : null;
  let current: ImapFlow | null = null;
  let opening: Promise<ImapFlow> | null = null;
  let closed = false;

  function failure(error: unknown, action: string): MailboxUnavailableError {
    if (error instanceof MailboxUnavailableError) return error;
    const detail = withoutSecret(explain(error), options.password);
    const message = `IMAP ${action} on ${description} failed: ${detail}`;
    return isAuthenticationFailure(error)
      ? new MailboxAuthenticationError(message, { cause: error })
      : new MailboxUnavailableError(message, { cause: error });
  }

  async function connect(): Promise<ImapFlow> {
    const client = new ImapFlow(clientOptions(options, log));
    // imapflow emits at most one `error` per connection and then closes it; without a listener
    // Node would throw it. The next call sees `usable === false` and reconnects.
    client.on("error", (error: Error) =>
      log?.debug({ reason: withoutSecret(error.message, options.password) }, "imap error"),
    );
    client.on("close", () => {
      if (current === client) current = null;
    });
    client.on("exists", (event: ExistsEvent) => {
      if (event.count > event.prevCount) onNewMail();
    });
    try {
      await client.connect();
    } catch (error) {
      if (!client.isClosed) client.close();
      throw failure(error, "connect and login");
    }
    current = client;
    return client;
  }

  function discard(): void {
    const client = current;
    current = null;
    if (client && !client.isClosed) client.close();
  }

  return {
    description,
    mailbox: options.mailbox ?? "INBOX",
    failure,
    discard,
    open() {
      if (closed) return Promise.reject(new MailboxUnavailableError(`IMAP mailbox ${description} is closed`));
      if (current?.usable) return Promise.resolve(current);
      discard();
      opening ??= connect().finally(() => {
        opening = null;
      });
      return opening;
    },
    async close() {
      closed = true;
      const client = current ?? (await opening?.catch(() => null)) ?? null;
      current = null;
      if (!client) return;
      // LOGOUT (RFC 3501 §6.1.3) ends an IDLE first (imapflow sends DONE); a dead socket is just closed.
      if (client.usable) await client.logout().catch(() => client.close());
      else if (!client.isClosed) client.close();
    },
  };
}

function clientOptions(options: ImapMailboxOptions, log: Logger | null): ImapFlowOptions {
  const timeout = options.connectTimeoutMs;
  return {
    host: options.host,
    port: options.port,
    secure: options.secure,
    auth: { user: options.user, pass: options.password },
    // Credentials never cross a network in clear: plain IMAP must upgrade (RFC 3501 §6.2.1) unless local.
    doSTARTTLS: options.secure || isLoopbackHost(options.host) ? undefined : true,
    tls: {
      rejectUnauthorized: options.tls?.rejectUnauthorized ?? true,
      ...(options.tls?.ca ? { ca: options.tls.ca } : {}),
    },
    ...(timeout === undefined ? {} : { connectionTimeout: timeout, greetingTimeout: timeout }),
    // IDLE only inside waitForChange, where the reader expects to wait (RFC 2177).
    disableAutoIdle: true,
    logger: log ? imapflowLogger(log) : false,
  };
}

/** imapflow logs objects (`{msg, cid, ...}`); all of them are debug detail for us. */
function imapflowLogger(log: Logger): ImapFlowLogger {
  const child = log.child({ component: "imapflow" });
  const debug = (entry: unknown) => child.debug(asFields(entry));
  return { trace: (entry: unknown) => child.trace(asFields(entry)), debug, info: debug, warn: debug, error: debug };
}

function asFields(entry: unknown): object {
  return typeof entry === "object" && entry !== null ? entry : { msg: String(entry) };
}

/** imapflow's message ("Command failed") plus the server's answer (`NO [AUTHENTICATIONFAILED] …`). */
function explain(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { responseStatus, serverResponseCode, responseText } = error as Error & Record<string, unknown>;
  if (typeof responseText !== "string" || responseText === "") return error.message;
  const code = typeof serverResponseCode === "string" ? `[${serverResponseCode}] ` : "";
  return `${error.message}: ${typeof responseStatus === "string" ? `${responseStatus} ` : ""}${code}${responseText}`;
}

function isAuthenticationFailure(error: unknown): boolean {
  return typeof error === "object" && error !== null && "authenticationFailed" in error && !!error.authenticationFailed;
}

function withoutSecret(text: string, secret: string): string {
  return secret === "" ? text : text.replaceAll(secret, "[redacted]");
}
