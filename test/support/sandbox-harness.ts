/**
 * The sandbox PEC provider under test (issue 6): a fresh Maildir and provider per test, SMTP
 * clients that log in as a box, and a parser that trusts the sandbox CA. Call `sandboxHarness()`
 * at the top of a test file: it registers its own beforeAll/afterEach.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import { afterEach, beforeAll } from "vitest";
import { parsePecMessage } from "../../src/pec/parse-pec-message.js";
import { readMaildir } from "../../src/pec/sandbox/maildir.js";
import {
  type SandboxProvider,
  type SandboxProviderOptions,
  startSandboxProvider,
} from "../../src/pec/sandbox/sandbox-provider.js";
import { fixedClock } from "../../src/shared/clock.js";
import type { Signer } from "../../src/signature/index.js";
import { pecProviderKeys } from "./pec-provider-keys.js";

export const SANDBOX_AT = new Date("2026-03-02T09:15:30Z");
export const SENDER = "protocollo@pec.sandbox.test";
export const MARIO = "mario.rossi@pec.sandbox.test";
export const ANNA = "anna.bianchi@pec.sandbox.test";

export function sandboxHarness() {
  let ca: Uint8Array;
  let signer: Signer;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    ({ ca, signer } = await pecProviderKeys(SANDBOX_AT));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A PEC message or receipt as our parser reads it, trusting the sandbox CA. */
  function parse(raw: Uint8Array) {
    const result = parsePecMessage(raw, { trust: [ca] });
    if (!result.ok) throw new Error(result.error.message);
    return result.message;
  }

  return {
    parse,
    /** Closed after the test. */
    cleanup(step: () => Promise<void> | void): void {
      cleanups.push(step);
    },

    /** A provider on a fresh Maildir, with a clock fixed at {@link SANDBOX_AT}. */
    async start(options: Partial<SandboxProviderOptions> = {}) {
      const maildir = mkdtempSync(join(tmpdir(), "faccia-sandbox-"));
      const clock = fixedClock(SANDBOX_AT);
      const provider = await startSandboxProvider({ maildir, signer, clock, ...options });
      cleanups.push(
        () => rmSync(maildir, { recursive: true, force: true }),
        () => provider.close(),
      );
      const files = (address: string) => readMaildir(maildir, address);
      const box = async (address: string) => (await files(address)).map((file) => parse(file.bytes));
      return { provider, clock, maildir, files, box };
    },

    /** An SMTP client logged in as `user` (plain: the sandbox listens on loopback). */
    client(provider: SandboxProvider, user = SENDER, pass = "sandbox", extra: SMTPTransport.Options = {}) {
      const options: SMTPTransport.Options = {
        host: provider.host,
        port: provider.port,
        secure: false,
        ignoreTLS: true,
      };
      const transport = nodemailer.createTransport({ ...options, ...extra, auth: { user, pass } });
      cleanups.push(() => transport.close());
      return transport;
    },
  };
}
