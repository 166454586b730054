/**
 * The IMAP mailbox reader's connection against a real Dovecot (issue 6): IDLE (RFC 2177) wakes the
 * wait when the sandbox delivers, abort ends it, and a connection dropped in the middle of a large
 * FETCH is an error the next call recovers from, losing nothing.
 */
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { MailboxUnavailableError } from "../../src/pec/domain/mailbox.js";
import { SKIP_WITHOUT_DOVECOT } from "../support/dovecot.js";
import { capturingLogger, PASSWORD, sha256, useDovecot, within } from "../support/imap-harness.js";
import { deliverToMaildir, testMessage } from "../support/maildir-delivery.js";
import { startMeteredTcpProxy } from "../support/metered-tcp-proxy.js";

/** imapflow's debug line once the server has answered IDLE with its "+" continuation. */
const IDLE_STARTED = "Initiated IDLE";
const LONG_POLL_MS = 60_000;

/** A message of about `bytes` bytes: random data in base64 lines, as an attachment would be. */
function largeMessage(subject: string, bytes: number): string {
  const lines =
    randomBytes(bytes)
      .toString("base64")
      .match(/.{1,76}/g) ?? [];
  return testMessage(subject, lines.join("\r\n"));
}

describe.skipIf(SKIP_WITHOUT_DOVECOT)("IMAP mailbox reader connection on Dovecot", () => {
  const imap = useDovecot();
  const controllers: AbortController[] = [];
  afterEach(() => {
    for (const controller of controllers.splice(0)) controller.abort();
  });
  function abortable(): AbortSignal {
    const controller = new AbortController();
    controllers.push(controller);
    return controller.signal;
  }

  describe("waiting for mail", () => {
    it("wakes from IDLE as soon as a message lands in the Maildir, long before the poll", async () => {
      const address = imap.nextAddress();
      const log = capturingLogger();
      const reader = imap.reader(address, { logger: log.logger });
      expect(await reader.fetch(null, 10)).toEqual([]);

      const since = log.lines.length;
      const waiting = reader.waitForChange(LONG_POLL_MS, abortable());
      await within(10_000, log.waitFor(IDLE_STARTED, since), "IDLE");
      deliverToMaildir(imap.maildirRoot, address, testMessage("arrivata durante IDLE"));

      await within(10_000, waiting, "waitForChange after the delivery");
      const [arrived] = await reader.fetch(null, 10);
      expect(arrived?.position?.uid).toBe(1);
      expect(log.lines.join("")).not.toContain(PASSWORD);
    });

    it("returns at once, without IDLE, when a command since the last fetch brought news of mail", async () => {
      const address = imap.nextAddress();
      const log = capturingLogger();
      const reader = imap.reader(address, { logger: log.logger });
      deliverToMaildir(imap.maildirRoot, address, testMessage("uno"));
      const [first] = await reader.fetch(null, 10);
      deliverToMaildir(imap.maildirRoot, address, testMessage("due"));
      // The MOVE's answer also announces the new message (an untagged EXISTS, RFC 3501 §7.3.1).
      await reader.markProcessed([first?.key ?? ""]);

      const since = log.lines.length;
      await within(1_000, reader.waitForChange(LONG_POLL_MS, abortable()), "waitForChange");

      expect(log.lines.slice(since).join("")).not.toContain(IDLE_STARTED);
      expect(await reader.fetch(first?.position ?? null, 10)).toHaveLength(1);
    });

    it("ends the wait at once on abort, and the reader keeps working", async () => {
      const address = imap.nextAddress();
      const log = capturingLogger();
      const reader = imap.reader(address, { logger: log.logger });
      await reader.fetch(null, 10);
      const controller = new AbortController();

      const since = log.lines.length;
      const waiting = reader.waitForChange(LONG_POLL_MS, controller.signal);
      await within(10_000, log.waitFor(IDLE_STARTED, since), "IDLE");
      controller.abort();

      await within(5_000, waiting, "waitForChange after abort");
      deliverToMaildir(imap.maildirRoot, address, testMessage("dopo l'abort"));
      expect(await reader.fetch(null, 10)).toHaveLength(1);
    });

    it("returns at once when the signal is already aborted", async () => {
      const reader = imap.reader(imap.nextAddress());
      await within(1_000, reader.waitForChange(LONG_POLL_MS, AbortSignal.abort()), "waitForChange");
    });

    it("polls: without news the wait ends after pollMs", async () => {
      const reader = imap.reader(imap.nextAddress());
      await reader.fetch(null, 10);
      await within(5_000, reader.waitForChange(200, abortable()), "waitForChange with pollMs 200");
      expect(await reader.fetch(null, 10)).toEqual([]);
    });

    it("ends the wait when the connection drops during IDLE", async () => {
      const address = imap.nextAddress();
      const proxy = await startMeteredTcpProxy(imap.server().host, imap.server().port);
      const log = capturingLogger();
      const reader = imap.reader(address, { port: proxy.port, logger: log.logger });
      try {
        await reader.fetch(null, 10);
        const since = log.lines.length;
        const waiting = reader.waitForChange(LONG_POLL_MS, abortable());
        await within(10_000, log.waitFor(IDLE_STARTED, since), "IDLE");
        const dropped = proxy.dropAfter(0);
        deliverToMaildir(imap.maildirRoot, address, testMessage("la notizia fa cadere la connessione"));
        await within(10_000, dropped, "the drop");

        await within(10_000, waiting, "waitForChange after the drop");
        expect(await reader.fetch(null, 10)).toHaveLength(1);
      } finally {
        await proxy.close();
      }
    });
  });

  describe("connection dropped mid-fetch", () => {
    it("rejects with MailboxUnavailableError, then the next fetch reconnects and returns everything", async () => {
      const address = imap.nextAddress();
      const sent = Array.from({ length: 12 }, (_, n) => largeMessage(`allegato ${n}`, 512 * 1024));
      for (const raw of sent) deliverToMaildir(imap.maildirRoot, address, raw);
      const total = sent.reduce((sum, raw) => sum + raw.length, 0);
      const proxy = await startMeteredTcpProxy(imap.server().host, imap.server().port);
      const reader = imap.reader(address, { port: proxy.port });
      try {
        // A quarter of the way through the message bodies: well inside the FETCH response.
        const dropped = proxy.dropAfter(Math.floor(total / 4));
        const broken = reader.fetch(null, 100);

        await expect(broken).rejects.toBeInstanceOf(MailboxUnavailableError);
        await dropped;
        expect(proxy.received).toBeLessThan(total);

        const messages = await reader.fetch(null, 100);
        expect(messages.map((message) => sha256(message.raw))).toEqual(sent.map((raw) => sha256(raw)));
        expect(imap.messageFiles(address)).toHaveLength(sent.length);
      } finally {
        await proxy.close();
      }
    });

    it("a dropped MOVE is retried whole by the next markProcessed, and nothing is lost", async () => {
      const address = imap.nextAddress();
      for (const subject of ["uno", "due", "tre"]) deliverToMaildir(imap.maildirRoot, address, testMessage(subject));
      const proxy = await startMeteredTcpProxy(imap.server().host, imap.server().port);
      const reader = imap.reader(address, { port: proxy.port });
      try {
        const keys = (await reader.fetch(null, 10)).map((message) => message.key);
        void proxy.dropAfter(1); // the next bytes from the server: the answer to CREATE or MOVE

        await expect(reader.markProcessed(keys)).rejects.toBeInstanceOf(MailboxUnavailableError);
        await reader.markProcessed(keys);

        expect(await reader.fetch(null, 10)).toEqual([]);
        expect(imap.messageFiles(address)).toHaveLength(3);
      } finally {
        await proxy.close();
      }
    });
  });
});
