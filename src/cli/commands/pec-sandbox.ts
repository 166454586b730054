import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import pino from "pino";
import { type Config, loadConfig } from "../../config/index.js";
import { DEMO_ENTITY } from "../../demo/index.js";
import { parseSandboxUsers, type SandboxProvider, SandboxUsersError, startSandboxProvider } from "../../pec/index.js";
import { createLogger, type Logger } from "../../shared/logger.js";
import { devCertificatesDirectory, ensureDevCertificates, Pkcs12Signer } from "../../signature/index.js";
import { readFileOrFail } from "../files.js";
import { CliFailure, type CliIo, printJson, printLine, type RunState } from "../io.js";
import { examples, integerOption } from "../options.js";

export interface PecSandboxOptions {
  smtpPort: number;
  host: string;
  maildir?: string;
  users?: string;
  domain?: string;
  json?: boolean;
}

export interface RunningPecSandbox {
  readonly provider: SandboxProvider;
  /** Stops accepting, finishes the queued receipts, closes the server. */
  stop(): Promise<void>;
}

/** The port submission clients are usually pointed at in development (587 needs root on many systems). */
export const DEFAULT_SANDBOX_SMTP_PORT = 2525;

/**
 * `faccia pec sandbox`: the sandbox PEC provider until stopped. Mailboxes from `--users`, or
 * every address of the domain with FACCIA_SANDBOX_PASSWORD; receipts signed with the PEC provider
 * certificate of FACCIA_DATA_DIR/certs (made on first use, as the gateway's demo mode does).
 */
export async function startPecSandbox(io: CliIo, options: PecSandboxOptions): Promise<RunningPecSandbox> {
  const config = loadConfig(io.env);
  const users = options.users === undefined ? undefined : await readUsers(options.users);
  const certificates = devCertificatesDirectory(config.FACCIA_DATA_DIR);
  const { paths, created } = await ensureDevCertificates(certificates, {
    ipa: DEMO_ENTITY.ipaCode,
    entityName: DEMO_ENTITY.name,
    now: new Date(),
  });
  if (created) printLine(io.stderr, `Created development certificates in ${resolve(certificates)}`);
  const signer = Pkcs12Signer.fromPkcs12(await readFile(paths.pecProvider.p12), paths.password);
  const maildir = resolve(options.maildir ?? join(config.FACCIA_DATA_DIR, "pec-sandbox", "maildir"));
  const provider = await startSandboxProvider({
    maildir,
    signer,
    domain: options.domain ?? config.FACCIA_SANDBOX_DOMAIN,
    host: options.host,
    port: options.smtpPort,
    password: config.FACCIA_SANDBOX_PASSWORD,
    ...(users ? { users } : {}),
    log: stderrLogger(config),
  });
  const summary = {
    smtp: `smtp://${options.host.includes(":") ? `[${options.host}]` : options.host}:${provider.port}`,
    host: provider.host,
    port: provider.port,
    domain: provider.domain,
    maildir,
    mailboxes: users ? { kind: "users", count: users.size } : { kind: "domain", domain: provider.domain },
    trust: paths.ca.cert,
  };
  if (options.json) printJson(io, summary);
  else printSummary(io, summary, options.users);
  if (!isLoopback(options.host))
    printLine(io.stderr, `warning: ${options.host} is not loopback and AUTH travels in clear text (no TLS)`);
  return { provider, stop: () => provider.close() };
}

async function readUsers(path: string): Promise<Map<string, string>> {
  const text = Buffer.from(await readFileOrFail(path, "users file")).toString("utf8");
  try {
    return parseSandboxUsers(text);
  } catch (error) {
    if (error instanceof SandboxUsersError)
      throw new CliFailure(`${path}: ${error.message}`, { code: "USERS_INVALID" });
    throw error;
  }
}

/** Logs go to stderr, so stdout stays the summary (one JSON document with --json). */
function stderrLogger(config: Config): Logger {
  if (config.LOG_FORMAT === "pretty") return createLogger({ level: config.LOG_LEVEL, format: "pretty" });
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service: "faccia-pec-sandbox" },
      redact: { paths: ["password", "*.password"], censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

function printSummary(
  io: CliIo,
  summary: { smtp: string; domain: string; maildir: string; trust: string; mailboxes: { kind: string } },
  usersFile: string | undefined,
): void {
  const boxes =
    usersFile === undefined
      ? `any address @${summary.domain}, password FACCIA_SANDBOX_PASSWORD (default "sandbox")`
      : `the boxes listed in ${usersFile}`;
  printLine(io.stdout, `PEC sandbox provider listening on ${summary.smtp} (AUTH PLAIN/LOGIN, no TLS)`);
  printLine(io.stdout, `  domain     ${summary.domain}`);
  printLine(io.stdout, `  mailboxes  ${boxes}`);
  printLine(io.stdout, `  maildir    ${summary.maildir}/<address>/{cur,new,tmp}`);
  printLine(io.stdout, `  trust      ${summary.trust} (faccia pec parse FILE --trust ${summary.trust})`);
  printLine(io.stderr, "Stop with Ctrl-C.");
}

/** A DNS domain for the mailboxes (lower-cased): labels of letters, digits and hyphens, at least one dot. */
export function domainOption(raw: string): string {
  const value = raw.trim().toLowerCase();
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(value))
    throw new InvalidArgumentError(`expected a domain such as pec.sandbox.test, got "${raw}"`);
  return value;
}

const PEC_SANDBOX_HELP = `
A local PEC provider for development, demos and tests (DM 2 novembre 2005 Allegato, RFC 6109):
SMTP submission with AUTH PLAIN/LOGIN (no TLS: keep it on loopback), formal checks (sender =
authenticated box, To/Cc = SMTP recipients, no Bcc, size × recipients), then signed receipts and
envelopes written as one Maildir per mailbox: ricevuta di accettazione or avviso di non
accettazione to the sender, busta di trasporto to each recipient, ricevuta di avvenuta consegna
(completa, breve or sintetica per X-TipoRicevuta; sintetica for Cc) or avviso di mancata consegna.
Everything is signed with the PEC provider certificate in FACCIA_DATA_DIR/certs (created like
'faccia certs dev' when missing); verify receipts against its ca.pem.

Mailboxes: by default any address in the domain logs in with FACCIA_SANDBOX_PASSWORD (default
"sandbox"); with --users only the listed boxes exist. The users file has one "address password"
a line; blank lines and lines starting with # are ignored. Dovecot can serve the same Maildirs
with mail_location = maildir:<maildir>/%u.
Runs until SIGINT (Ctrl-C) or SIGTERM. Logs go to stderr.
${examples(
  "faccia pec sandbox",
  "faccia pec sandbox --smtp-port 0 --json",
  "faccia pec sandbox --users ./sandbox-users.txt --domain pec.comune.test --maildir /srv/maildir",
)}`;

/** Adds `sandbox` under `faccia pec` (registered by `./pec.ts`). */
export function registerPecSandbox(program: Command, io: CliIo, state: RunState): void {
  const pec = program.commands.find((command) => command.name() === "pec") ?? program.command("pec");
  pec
    .command("sandbox")
    .description("run a local PEC provider (SMTP submission, signed receipts, Maildir) until Ctrl-C")
    .option("--smtp-port <n>", "SMTP port; 0 picks a free one", integerOption(0, 65535), DEFAULT_SANDBOX_SMTP_PORT)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--maildir <dir>", "root of the Maildirs (default FACCIA_DATA_DIR/pec-sandbox/maildir)")
    .option("--users <file>", 'mailboxes and passwords, "address password" per line')
    .option(
      "--domain <domain>",
      "the mailboxes' domain (default FACCIA_SANDBOX_DOMAIN, pec.sandbox.test)",
      domainOption,
    )
    .option("--json", "print one JSON document {smtp, host, port, domain, maildir, mailboxes, trust} once listening")
    .addHelpText("after", PEC_SANDBOX_HELP)
    .action(async (options: PecSandboxOptions) => {
      const running = await startPecSandbox(io, options);
      state.keepAlive = true;
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void running.stop());
    });
}
