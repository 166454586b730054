/**
 * What the IMAP integration tests share: one Dovecot per test file serving a temporary Maildir root,
 * a fresh mailbox per test, our reader on it, a second imapflow client playing the person who opens
 * the box in webmail, and a pino logger the test can wait on.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { ImapFlow } from "imapflow";
import pino from "pino";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createImapMailbox, type ImapMailboxOptions } from "../../src/pec/adapters/imap-mailbox.js";
import type { MailboxReader } from "../../src/pec/domain/mailbox.js";
import type { Logger } from "../../src/shared/logger.js";
import { type DovecotServer, startDovecot } from "./dovecot.js";

export const PASSWORD = "correct-horse-battery-staple";
const MAILBOXES = 16;

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Registers the hooks of one Dovecot, for the `describe` that calls it (and the tests nested in it). */
export function useDovecot() {
  let maildirRoot = "";
  let dovecot: DovecotServer | undefined;
  let used = 0;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    maildirRoot = mkdtempSync(join(tmpdir(), "faccia-maildir-"));
    const users = Array.from({ length: MAILBOXES }, (_, n) => ({ address: addressOf(n), password: PASSWORD }));
    dovecot = await startDovecot({ maildirRoot, users });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });
  afterAll(async () => {
    await dovecot?.stop();
    if (maildirRoot) rmSync(maildirRoot, { recursive: true, force: true });
  });

  function server(): DovecotServer {
    if (!dovecot) throw new Error("Dovecot is not running");
    return dovecot;
  }

  return {
    get maildirRoot() {
      return maildirRoot;
    },
    server,
    /** A mailbox no other test of this file uses. */
    nextAddress(): string {
      if (used >= MAILBOXES) throw new Error(`more than ${MAILBOXES} mailboxes in one file`);
      return addressOf(used++);
    },
    /** Our reader on `address`, closed after the test. */
    reader(address: string, overrides: Partial<ImapMailboxOptions> = {}): MailboxReader {
      const { host, port } = server();
      const reader = createImapMailbox({
        host,
        port,
        secure: false,
        user: address,
        password: PASSWORD,
        connectTimeoutMs: 5_000,
        ...overrides,
      });
      cleanups.push(() => reader.close());
      return reader;
    },
    /** Another IMAP client on the same mailbox (webmail, a colleague), logged in, closed after the test. */
    async observer(address: string): Promise<ImapFlow> {
      const { host, port } = server();
      const client = new ImapFlow({
        host,
        port,
        secure: false,
        auth: { user: address, pass: PASSWORD },
        logger: false,
      });
      client.on("error", () => {});
      await client.connect();
      cleanups.push(() => client.logout());
      return client;
    },
    /** Every message file of the mailbox, inbox and subfolders: what "nothing was deleted" counts. */
    messageFiles(address: string): string[] {
      const box = join(maildirRoot, address);
      const folders = [
        box,
        ...readdirSync(box)
          .filter((name) => name.startsWith("."))
          .map((name) => join(box, name)),
      ];
      return folders.flatMap((folder) =>
        ["new", "cur"].flatMap((sub) => {
          try {
            return readdirSync(join(folder, sub));
          } catch {
            return [];
          }
        }),
      );
    },
  };
}

function addressOf(n: number): string {
  return `casella${n}@pec.comune.example.it`;
}

/** A debug-level pino logger whose lines a test can read and wait for. */
export function capturingLogger(): {
  logger: Logger;
  lines: string[];
  /** Resolves once a line from index `since` on contains `text`. */
  waitFor(text: string, since?: number): Promise<void>;
} {
  const lines: string[] = [];
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const line = chunk.toString("utf8");
      lines.push(line);
      for (const waiter of waiters.filter((candidate) => line.includes(candidate.text))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      callback();
    },
  });
  return {
    logger: pino({ level: "trace" }, stream),
    lines,
    waitFor(text, since = 0) {
      if (lines.slice(since).some((line) => line.includes(text))) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ text, resolve }));
    },
  };
}

/** Fails instead of hanging when `promise` does not settle within `ms`. */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
