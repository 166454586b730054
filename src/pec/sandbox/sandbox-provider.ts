/**
 * A local PEC provider for development, demos and tests (issue 6): the punto di accesso as an
 * SMTP submission server with AUTH (RFC 6109 §3.1; RFC 4954), mailboxes under one domain kept
 * as Maildirs that Dovecot can serve, and the receipts and envelopes of `./post-office.ts`,
 * all signed with the provider certificate. Plain TCP on loopback: no STARTTLS, so AUTH is
 * allowed in clear (never expose it).
 *
 * SMTP answers follow Aruba's where the reference records them (reference/pec.md §6): the
 * envelope sender must be the authenticated box (553 5.7.1), size × recipients above the limit
 * is refused at DATA (552, RFC 6109 §3.1.2 "left to SMTP"); every other formal error gets 250
 * and an avviso di non accettazione.
 */
import {
  SMTPServer,
  type SMTPServerDataResult,
  type SMTPServerDataStream,
  type SMTPServerError,
  type SMTPServerOptions,
  type SMTPServerSession,
} from "smtp-server";
import { type Clock, systemClock } from "../../shared/clock.js";
import { type Logger, silentLogger } from "../../shared/logger.js";
import type { Signer } from "../../signature/index.js";
import { mailboxDirectory } from "./maildir.js";
import { PostOffice } from "./post-office.js";
import { NO_FAULTS, type SandboxFaults, withFaults } from "./sandbox-faults.js";
import { type SandboxMailboxes, sandboxMailboxes } from "./sandbox-mailboxes.js";

export const SANDBOX_DOMAIN = "pec.sandbox.test";
export const SANDBOX_PASSWORD = "sandbox";
/** Aruba's limit per message, divided among the recipients (reference/pec.md §6). */
export const SANDBOX_MAX_BYTES = 100 * 1024 * 1024;
export const SANDBOX_MAX_RECIPIENTS = 500;

export interface SandboxProviderOptions {
  /** Root of the Maildirs: `<maildir>/<address>/{cur,new,tmp}`. */
  readonly maildir: string;
  /** The provider certificate's signer (`faccia certs dev`: pec-provider). */
  readonly signer: Signer;
  /** Default `pec.sandbox.test`. */
  readonly domain?: string;
  /** daticert `gestore-emittente`; default "Faccia PEC sandbox". */
  readonly providerName?: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** address → password; when given, only these boxes exist. */
  readonly users?: ReadonlyMap<string, string>;
  /** Every box's password when there is no users map; default "sandbox". */
  readonly password?: string;
  readonly clock?: Clock;
  /** Message size × recipients; above it SMTP 552. Default 100 MB. */
  readonly maxBytes?: number;
  /** RCPT TO beyond this: 452 (RFC 5321 §4.5.3.1.10). Default 500. */
  readonly maxRecipients?: number;
  readonly faults?: Partial<SandboxFaults>;
  readonly log?: Logger;
}

export interface SandboxProvider {
  readonly host: string;
  readonly port: number;
  readonly domain: string;
  /** The Maildir of `address` (which need not exist yet). */
  mailboxPath(address: string): string;
  setFaults(faults: Partial<SandboxFaults>): void;
  /** Issues every preavviso (12 h) and avviso (24 h) due by `clock.now()`; resolves to the receipts written. */
  runDeadlines(): Promise<number>;
  /** Delivers ordinary mail to sandbox boxes as a busta di anomalia; resolves to the boxes written. */
  deliverPlainMail(raw: Uint8Array, recipients?: readonly string[]): Promise<string[]>;
  /** Resolves once every queued receipt and envelope is written. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * @example
 * const provider = await startSandboxProvider({ maildir: "./data/pec-sandbox/maildir", signer });
 * // nodemailer: { host: provider.host, port: provider.port, secure: false, ignoreTLS: true,
 * //   auth: { user: "protocollo@pec.sandbox.test", pass: "sandbox" } }
 */
export async function startSandboxProvider(options: SandboxProviderOptions): Promise<SandboxProvider> {
  const domain = (options.domain ?? SANDBOX_DOMAIN).toLowerCase();
  const log = options.log ?? silentLogger();
  let faults = withFaults(NO_FAULTS, options.faults ?? {});
  const mailboxes = sandboxMailboxes({
    domain,
    password: options.password ?? SANDBOX_PASSWORD,
    ...(options.users ? { users: options.users } : {}),
  });
  const office = new PostOffice({
    maildir: options.maildir,
    signer: options.signer,
    provider: { domain, name: options.providerName ?? "Faccia PEC sandbox" },
    mailboxes,
    clock: options.clock ?? systemClock,
    log,
    faults: () => faults,
  });
  const limits = {
    maxBytes: options.maxBytes ?? SANDBOX_MAX_BYTES,
    maxRecipients: options.maxRecipients ?? SANDBOX_MAX_RECIPIENTS,
  };
  const server = createSmtpServer({ office, mailboxes, log, limits, faults: () => faults });
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, host, options.port ?? 0);
  log.info({ host, port, domain }, "pec sandbox listening");
  return {
    host,
    port,
    domain,
    mailboxPath: (address) => mailboxDirectory(options.maildir, address),
    setFaults(changes) {
      faults = withFaults(faults, changes);
      log.info({ faults }, "pec sandbox faults changed");
    },
    runDeadlines: () => office.runDeadlines(),
    deliverPlainMail: (raw, recipients) => office.deliverPlainMail(raw, recipients),
    idle: () => office.idle(),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await office.idle();
      log.info({ host, port }, "pec sandbox stopped");
    },
  };
}

interface SmtpWiring {
  readonly office: PostOffice;
  readonly mailboxes: SandboxMailboxes;
  readonly log: Logger;
  readonly limits: { readonly maxBytes: number; readonly maxRecipients: number };
  readonly faults: () => SandboxFaults;
}

/** An SMTP reply other than 2xx; the text carries its own RFC 3463 code (see `hideENHANCEDSTATUSCODES`). */
function smtpError(responseCode: number, message: string): SMTPServerError {
  return Object.assign(new Error(message), { responseCode });
}

const SERVICE_DOWN = () => smtpError(421, "4.3.2 Service not available, closing transmission channel");

function createSmtpServer(wiring: SmtpWiring): SMTPServer {
  const server = new SMTPServer({
    name: `smtp.${wiring.mailboxes.domain}`,
    banner: "Faccia PEC sandbox",
    authMethods: ["PLAIN", "LOGIN"],
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    // Our replies carry Postfix-style enhanced codes in their text (553 5.7.1 like Aruba).
    hideENHANCEDSTATUSCODES: true,
    size: wiring.limits.maxBytes,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    ...commandHandlers(wiring),
  });
  // A client that drops the connection is an "error" event: log it, never crash the process.
  server.on("error", (error) => wiring.log.warn({ err: error }, "pec sandbox smtp error"));
  return server;
}

type Handlers = Pick<SMTPServerOptions, "onConnect" | "onAuth" | "onMailFrom" | "onRcptTo" | "onData">;

/** The punto di accesso's SMTP side (RFC 6109 §3.1): AUTH required, the sender its own box. */
function commandHandlers(wiring: SmtpWiring): Handlers {
  const { log, mailboxes, limits } = wiring;
  const down = () => wiring.faults().down;
  return {
    onConnect: (_session, done) => done(down() ? SERVICE_DOWN() : null),
    onAuth(auth, _session, done) {
      if (down()) return done(SERVICE_DOWN());
      const box = mailboxes.authenticate(auth.username ?? "", auth.password ?? "");
      if (box !== null) return done(null, { user: box });
      log.warn({ username: auth.username, method: auth.method }, "pec sandbox login refused");
      done(smtpError(535, "5.7.8 Error: authentication failed"));
    },
    onMailFrom(address, session, done) {
      if (down()) return done(SERVICE_DOWN());
      const user = String(session.user);
      // reference/pec.md §6: Aruba's answer when the envelope sender is not the authenticated box.
      if (address.address.toLowerCase() === user) return done();
      done(smtpError(553, `5.7.1 <${address.address}>: Sender address rejected: not owned by user ${user}`));
    },
    onRcptTo(_address, session, done) {
      if (down()) return done(SERVICE_DOWN());
      if (session.envelope.rcptTo.length < limits.maxRecipients) return done();
      done(smtpError(452, "4.5.3 Error: too many recipients"));
    },
    onData: (stream, session, done) => receive(wiring, stream, session, done),
  };
}

/** DATA (RFC 5321 §4.1.1.4): the whole message, then the size × recipients check, then the post office. */
function receive(
  wiring: SmtpWiring,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  done: (error?: SMTPServerError | null, message?: string | SMTPServerDataResult[]) => void,
): void {
  const { maxBytes } = wiring.limits;
  const recipients = session.envelope.rcptTo.map((recipient) => recipient.address);
  const chunks: Buffer[] = [];
  let total = 0;
  stream.on("data", (chunk: Buffer) => {
    total += chunk.length;
    // Past the limit the bytes are only counted: a refused message is never held in memory.
    if (total * recipients.length <= maxBytes) chunks.push(chunk);
  });
  stream.on("end", () => {
    if (wiring.faults().down) return done(SERVICE_DOWN());
    if (stream.sizeExceeded || total * recipients.length > maxBytes) {
      wiring.log.info({ sender: String(session.user), bytes: total, recipients: recipients.length }, "pec too large");
      return done(smtpError(552, `5.3.4 Message size exceeds fixed limit: ${maxBytes} bytes (size × recipients)`));
    }
    const raw = new Uint8Array(Buffer.concat(chunks));
    const identificativo = wiring.office.submit({ raw, user: String(session.user), recipients });
    done(null, `Ok: queued as ${identificativo}`);
  });
}

function listen(server: SMTPServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.server.address();
      resolve(typeof address === "object" && address !== null ? address.port : port);
    });
  });
}
