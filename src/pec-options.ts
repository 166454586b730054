import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Config, ConfigError } from "./config/index.js";
import { DEMO_ENTITY } from "./demo/index.js";
import {
  createImapMailbox,
  createMailboxSync,
  createMaildirMailbox,
  createOutbox,
  createPecWorker,
  createSmtpSender,
  type DispatchReportsPort,
  type DispatchRepository,
  type DispatchTracker,
  type MailboxReader,
  type PecAccountsPort,
  type PecSettingsRepository,
  type PecWorker,
  type SandboxProvider,
  type SmtpSender,
  startSandboxProvider,
} from "./pec/index.js";
import type { Clock } from "./shared/clock.js";
import type { Logger } from "./shared/logger.js";
import { isLoopbackHost } from "./shared/loopback.js";
import { waitForFirst } from "./shared/wait-for-first.js";
import { devCertificatesDirectory, ensureDevCertificates, Pkcs12Signer, parsePemBundle } from "./signature/index.js";

/**
 * From configuration to a running PEC side (issue 6): the accounts (SMTP and mailbox per entity),
 * the in-process sandbox provider in `sandbox` mode, and the worker that sends and reads.
 */
export type PecMode = "sandbox" | "provider" | "none";

export function pecMode(config: Config): PecMode {
  return config.FACCIA_PEC ?? (config.FACCIA_DEMO ? "sandbox" : "none");
}

/** The sandbox's Maildir root under the data directory (also `faccia pec sandbox`'s default). */
export const sandboxMaildir = (dataDir: string) => join(dataDir, "pec-sandbox", "maildir");

/** What the PEC runtime needs of the application (see `createServices` in `main.ts`). */
export interface PecApplication {
  readonly services: {
    readonly pecSettings: PecSettingsRepository;
    readonly dispatchRepo: DispatchRepository;
    readonly dispatchTracker: DispatchTracker;
    readonly reportsForDispatch: DispatchReportsPort;
    entityIdByIpa(ipaCode: string): Promise<string | null>;
    onDispatchQueued(listener: () => void): () => void;
  };
  readonly database: { withExclusiveLock<T>(key: number, work: () => Promise<T>): Promise<T> };
}

export interface PecRuntime {
  readonly mode: PecMode;
  readonly sandbox: SandboxProvider | null;
  readonly worker: PecWorker | null;
  /**
   * With the demo in sandbox mode: gives the demo comune its sandbox box and two oversight bodies
   * (once it exists: the first start creates it after the gateway is up). Returns the box address.
   */
  prepareDemo(): Promise<string | null>;
  stop(): Promise<void>;
}

async function trustAnchors(config: Config, extra: readonly Uint8Array[]): Promise<Uint8Array[]> {
  const configured = config.FACCIA_PEC_TRUST_PEM
    ? parsePemBundle(await readFile(config.FACCIA_PEC_TRUST_PEM, "utf8"))
    : [];
  return [...extra, ...configured];
}

/** `FACCIA_PEC_PASSWORD`, or the file `FACCIA_PEC_PASSWORD_FILE` with `{ipa}` replaced. */
async function providerPassword(config: Config, ipaCode: string): Promise<string> {
  if (config.FACCIA_PEC_PASSWORD) return config.FACCIA_PEC_PASSWORD;
  const file = config.FACCIA_PEC_PASSWORD_FILE;
  if (!file)
    throw new ConfigError(["FACCIA_PEC_PASSWORD or FACCIA_PEC_PASSWORD_FILE: required with FACCIA_PEC=provider"]);
  return (await readFile(file.replaceAll("{ipa}", ipaCode), "utf8")).replace(/\r?\n$/, "");
}

function requiredHost(config: Config, key: "FACCIA_PEC_SMTP_HOST" | "FACCIA_PEC_IMAP_HOST"): string {
  const value = config[key];
  if (!value) throw new ConfigError([`${key}: required with FACCIA_PEC=provider`]);
  return value;
}

/** Senders are pooled per box and kept for the process's life. */
function senderCache(make: (box: { ipaCode: string; address: string }) => SmtpSender) {
  const senders = new Map<string, SmtpSender>();
  return {
    senderFor(box: { ipaCode: string; address: string }): SmtpSender {
      let sender = senders.get(box.address);
      if (!sender) {
        sender = make(box);
        senders.set(box.address, sender);
      }
      return sender;
    },
    close(): void {
      for (const sender of senders.values()) sender.close();
    },
  };
}

/** A sender whose password is read on first use (a file per entity), then pooled; a failed read is retried next time. */
function lazySender(open: () => Promise<SmtpSender>): SmtpSender {
  let sender: Promise<SmtpSender> | undefined;
  return {
    async send(submission) {
      sender ??= open();
      const opening = sender;
      try {
        return await (await opening).send(submission);
      } catch (error) {
        if (sender === opening) sender = undefined;
        throw error;
      }
    },
    close() {
      sender?.then((s) => s.close()).catch(() => undefined);
    },
  };
}

async function sandboxAccounts(config: Config, clock: Clock, log: Logger) {
  const { paths } = await ensureDevCertificates(devCertificatesDirectory(config.FACCIA_DATA_DIR), {
    ipa: DEMO_ENTITY.ipaCode,
    entityName: DEMO_ENTITY.name,
    now: clock.now(),
  });
  const signer = Pkcs12Signer.fromPkcs12(await readFile(paths.pecProvider.p12), paths.password);
  const [devCa] = parsePemBundle(await readFile(paths.ca.cert, "utf8"));
  const root = sandboxMaildir(config.FACCIA_DATA_DIR);
  const sandbox = await startSandboxProvider({
    maildir: root,
    signer,
    domain: config.FACCIA_SANDBOX_DOMAIN,
    password: config.FACCIA_SANDBOX_PASSWORD,
    port: config.FACCIA_SANDBOX_SMTP_PORT,
    clock,
    log: log.child({ component: "pec-sandbox" }),
  });
  const senders = senderCache((box) =>
    createSmtpSender({
      host: sandbox.host,
      port: sandbox.port,
      security: "plain",
      user: box.address,
      password: config.FACCIA_SANDBOX_PASSWORD,
    }),
  );
  const accounts: PecAccountsPort = {
    senderFor: (box) => senders.senderFor(box),
    mailboxFor: (box) => createMaildirMailbox({ root, address: box.address }),
    trust: await trustAnchors(config, devCa ? [devCa] : []),
    maxMessageBytes: config.FACCIA_PEC_MAX_MESSAGE_BYTES,
  };
  return { accounts, sandbox, close: () => senders.close() };
}

async function providerAccounts(config: Config, log: Logger) {
  const smtpHost = requiredHost(config, "FACCIA_PEC_SMTP_HOST");
  const imapHost = requiredHost(config, "FACCIA_PEC_IMAP_HOST");
  for (const [key, host, security] of [
    ["FACCIA_PEC_SMTP_SECURITY", smtpHost, config.FACCIA_PEC_SMTP_SECURITY],
    ["FACCIA_PEC_IMAP_SECURITY", imapHost, config.FACCIA_PEC_IMAP_SECURITY],
  ] as const) {
    if (security === "plain" && !isLoopbackHost(host))
      throw new ConfigError([`${key}: plain (no TLS) would send the box password in clear to ${host}; use tls`]);
  }
  const senders = senderCache((box) =>
    lazySender(async () =>
      createSmtpSender({
        host: smtpHost,
        port: config.FACCIA_PEC_SMTP_PORT,
        security: config.FACCIA_PEC_SMTP_SECURITY,
        user: box.address,
        password: await providerPassword(config, box.ipaCode),
      }),
    ),
  );
  const accounts: PecAccountsPort = {
    senderFor: (box) => senders.senderFor(box),
    mailboxFor: (box) => lazyImapMailbox(config, imapHost, box, log),
    trust: await trustAnchors(config, []),
    maxMessageBytes: config.FACCIA_PEC_MAX_MESSAGE_BYTES,
  };
  return { accounts, sandbox: null, close: () => senders.close() };
}

/** The IMAP reader of a box, its password read when first needed (again after a failed read). */
function lazyImapMailbox(
  config: Config,
  host: string,
  box: { ipaCode: string; address: string },
  log: Logger,
): MailboxReader {
  let reader: Promise<MailboxReader> | undefined;
  const open = (): Promise<MailboxReader> => {
    reader ??= providerPassword(config, box.ipaCode).then((password) =>
      createImapMailbox({
        host,
        port: config.FACCIA_PEC_IMAP_PORT,
        secure: config.FACCIA_PEC_IMAP_SECURITY === "tls",
        user: box.address,
        password,
        logger: log.child({ component: "imap" }),
      }),
    );
    const opening = reader;
    opening.catch(() => {
      if (reader === opening) reader = undefined;
    });
    return opening;
  };
  return {
    description: `imap://${encodeURIComponent(box.address)}@${host}:${config.FACCIA_PEC_IMAP_PORT}/INBOX`,
    fetch: async (cursor, limit) => (await open()).fetch(cursor, limit),
    markProcessed: async (keys) => (await open()).markProcessed(keys),
    waitForChange: async (pollMs, signal) => {
      const opened = await open().catch(() => null);
      // Without a reader (no password yet) there is nothing to watch: just wait out the poll.
      if (opened) return opened.waitForChange(pollMs, signal);
      await waitForFirst(pollMs, signal, () => () => undefined);
    },
    close: async () => {
      const opened = await reader?.catch(() => null);
      await opened?.close();
    },
  };
}

/** In demo mode, the demo comune gets a sandbox box and two oversight bodies to send to. */
async function ensureDemoPec(application: PecApplication, sandboxDomain: string): Promise<string | null> {
  const domain = sandboxDomain.toLowerCase();
  const { services } = application;
  const entityId = await services.entityIdByIpa(DEMO_ENTITY.ipaCode);
  if (!entityId) return null;
  const existing = await services.pecSettings.box(entityId);
  if (existing) return existing.address;
  const address = `protocollo.${DEMO_ENTITY.ipaCode.replace("_", "")}@${domain}`;
  await services.pecSettings.setBox(entityId, address);
  for (const [name, local] of [
    ["Nucleo di valutazione", "nucleo.valutazione"],
    ["Dipartimento della funzione pubblica", "funzione.pubblica"],
  ] as const) {
    await services.pecSettings.addRecipient(entityId, {
      name,
      address: `${local}@${domain}`,
      ipaCode: null,
      copy: false,
    });
  }
  return address;
}

export async function startPec(
  config: Config,
  application: PecApplication,
  clock: Clock,
  log: Logger,
): Promise<PecRuntime> {
  const mode = pecMode(config);
  if (mode === "none") {
    log.info("pec disabled (FACCIA_PEC=none): dispatches stay queued");
    return { mode, sandbox: null, worker: null, prepareDemo: async () => null, stop: async () => undefined };
  }
  const { accounts, sandbox, close } =
    mode === "sandbox" ? await sandboxAccounts(config, clock, log) : await providerAccounts(config, log);
  const prepareDemo = async () =>
    mode === "sandbox" && config.FACCIA_DEMO ? ensureDemoPec(application, config.FACCIA_SANDBOX_DOMAIN) : null;
  await prepareDemo();
  const { services, database } = application;
  const pecLog = log.child({ component: "pec" });
  const worker = config.FACCIA_PEC_WORKER
    ? createPecWorker({
        settings: services.pecSettings,
        accounts,
        outbox: createOutbox({
          repo: services.dispatchRepo,
          settings: services.pecSettings,
          accounts,
          transition: services.reportsForDispatch.transition,
          clock,
          log: pecLog,
        }),
        sync: createMailboxSync({
          repo: services.dispatchRepo,
          settings: services.pecSettings,
          tracker: services.dispatchTracker,
          trust: accounts.trust,
          clock,
          log: pecLog,
        }),
        tracker: services.dispatchTracker,
        clock,
        log: pecLog,
        withLock: (key, work) => database.withExclusiveLock(key, work),
        pollMs: mode === "sandbox" ? 2_000 : config.FACCIA_PEC_POLL_SECONDS * 1000,
      })
    : null;
  const unsubscribe = services.onDispatchQueued(() => worker?.wake());
  // The sandbox's own 12-hour preavviso and 24-hour avviso, judged once a minute.
  const deadlines = sandbox
    ? setInterval(() => {
        sandbox.runDeadlines().catch((error: unknown) => log.warn({ err: error }, "pec sandbox deadlines failed"));
      }, 60_000)
    : undefined;
  deadlines?.unref();
  worker?.start();
  if (sandbox)
    log.info({ smtp: `${sandbox.host}:${sandbox.port}`, domain: sandbox.domain }, "pec sandbox provider ready");
  return {
    mode,
    sandbox,
    worker,
    prepareDemo,
    async stop() {
      clearInterval(deadlines);
      unsubscribe();
      await worker?.stop();
      close();
      await sandbox?.close();
    },
  };
}
