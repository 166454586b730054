/**
 * The IMAP mailbox reader against a real Dovecot serving a Maildir (issue 6): messages are put in
 * the Maildir the way an MTA does (tmp → new), read back over IMAP by imapflow, moved to
 * Faccia/Elaborati and checked by a second IMAP client.
 */
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import type { ImapFlow } from "imapflow";
import { describe, expect, it } from "vitest";
import { createMaildirMailbox } from "../../src/pec/adapters/maildir-mailbox.js";
import {
  MailboxAuthenticationError,
  type MailboxMessage,
  MailboxUnavailableError,
} from "../../src/pec/domain/mailbox.js";
import { SKIP_WITHOUT_DOVECOT } from "../support/dovecot.js";
import { PASSWORD, sha256, useDovecot } from "../support/imap-harness.js";
import { deliverToMaildir, testMessage } from "../support/maildir-delivery.js";

const REAL_RECEIPT = readFileSync(new URL("../fixtures/pec-real/oca-aruba-accettazione.eml", import.meta.url), "utf8");
/** Messages travel and are signed with CRLF; a Maildir file with bare LF would come back from Dovecot as CRLF. */
const crlf = (text: string) => text.replace(/\r?\n/g, "\r\n");

async function folderPaths(observer: ImapFlow): Promise<Map<string, string>> {
  const listed = await observer.list();
  return new Map(listed.map((mailbox) => [mailbox.path.split(mailbox.delimiter).join("/"), mailbox.path]));
}

async function messageCount(observer: ImapFlow, path: string): Promise<number | undefined> {
  const status = await observer.status(path, { messages: true });
  return status ? status.messages : undefined;
}

const keysOf = (messages: readonly MailboxMessage[]) => messages.map((message) => message.key);

describe.skipIf(SKIP_WITHOUT_DOVECOT)("IMAP mailbox reader on Dovecot", () => {
  const imap = useDovecot();

  describe("happy path", () => {
    it("fetches every message oldest first, byte for byte, with its INTERNALDATE, UID and key", async () => {
      const address = imap.nextAddress();
      const sent = [crlf(REAL_RECEIPT), testMessage("seconda"), testMessage("terza")];
      const times = [
        new Date("2025-12-01T09:00:00Z"),
        new Date("2025-12-01T09:00:01Z"),
        new Date("2025-12-01T09:05:00Z"),
      ];
      for (const [n, raw] of sent.entries()) deliverToMaildir(imap.maildirRoot, address, raw, { receivedAt: times[n] });

      const messages = await imap.reader(address).fetch(null, 10);

      expect(messages.map((message) => sha256(message.raw))).toEqual(sent.map((raw) => sha256(raw)));
      expect(messages.map((message) => message.receivedAt?.toISOString())).toEqual(times.map((t) => t.toISOString()));
      const [first] = messages;
      expect(first?.position?.uidValidity).toMatch(/^\d+$/);
      expect(messages.map((message) => message.position?.uid)).toEqual([1, 2, 3]);
      expect(keysOf(messages)).toEqual([1, 2, 3].map((uid) => `imap:${first?.position?.uidValidity}:${uid}`));
    });

    it("returns at most `limit` messages, then only those after the cursor", async () => {
      const address = imap.nextAddress();
      const sent = ["uno", "due", "tre", "quattro", "cinque"].map((subject) => testMessage(subject));
      for (const raw of sent) deliverToMaildir(imap.maildirRoot, address, raw);
      const reader = imap.reader(address);

      const firstPage = await reader.fetch(null, 2);
      const rest = await reader.fetch(firstPage.at(-1)?.position ?? null, 10);
      // The cursor is on the highest UID: `4:*` still names UID 3 on the server (RFC 3501 §6.4.8).
      const nothing = await reader.fetch(rest.at(-1)?.position ?? null, 10);

      expect(firstPage.map((message) => sha256(message.raw))).toEqual(sent.slice(0, 2).map((raw) => sha256(raw)));
      expect(rest.map((message) => sha256(message.raw))).toEqual(sent.slice(2).map((raw) => sha256(raw)));
      expect(nothing).toEqual([]);
    });

    it("sees a message delivered between two fetches on the same connection", async () => {
      const address = imap.nextAddress();
      const reader = imap.reader(address);
      expect(await reader.fetch(null, 10)).toEqual([]);
      deliverToMaildir(imap.maildirRoot, address, testMessage("appena arrivata"));

      expect(await reader.fetch(null, 10)).toHaveLength(1);
    });

    it("reads the whole inbox again when the cursor's UIDVALIDITY is not the mailbox's", async () => {
      const address = imap.nextAddress();
      for (const subject of ["uno", "due"]) deliverToMaildir(imap.maildirRoot, address, testMessage(subject));
      const reader = imap.reader(address);
      const current = await reader.fetch(null, 10);

      const renumbered = await reader.fetch({ uidValidity: "1", uid: 999 }, 10);

      expect(keysOf(renumbered)).toEqual(keysOf(current));
    });

    it("still fetches a message another client marked \\Seen, and leaves \\Seen alone itself", async () => {
      const address = imap.nextAddress();
      for (const subject of ["letta in webmail", "non letta"]) {
        deliverToMaildir(imap.maildirRoot, address, testMessage(subject));
      }
      const webmail = await imap.observer(address);
      await webmail.mailboxOpen("INBOX");
      await webmail.messageFlagsAdd("1", ["\\Seen"], { uid: true });

      const messages = await imap.reader(address).fetch(null, 10);

      expect(messages.map((message) => message.position?.uid)).toEqual([1, 2]);
      const flags = await webmail.fetchOne("2", { flags: true }, { uid: true });
      expect(flags && [...(flags.flags ?? [])]).not.toContain("\\Seen");
    });

    it("moves processed messages to Faccia/Elaborati, creating it, and deletes nothing", async () => {
      const address = imap.nextAddress();
      const sent = ["uno", "due", "tre"].map((subject) => testMessage(subject));
      for (const raw of sent) deliverToMaildir(imap.maildirRoot, address, raw);
      const reader = imap.reader(address);
      const messages = await reader.fetch(null, 10);

      await reader.markProcessed(keysOf(messages.slice(0, 2)));
      await reader.markProcessed(keysOf(messages.slice(0, 2))); // again, as after a crash: harmless

      const observer = await imap.observer(address);
      const processed = (await folderPaths(observer)).get("Faccia/Elaborati");
      expect(processed).toBe("Faccia.Elaborati"); // Dovecot's Maildir++ delimiter is "."
      expect(await messageCount(observer, processed ?? "")).toBe(2);
      expect(await messageCount(observer, "INBOX")).toBe(1);
      await observer.mailboxOpen(processed ?? "");
      const moved = await observer.fetchAll("1:*", { source: true });
      expect(moved.map((message) => sha256(message.source ?? ""))).toEqual(sent.slice(0, 2).map((raw) => sha256(raw)));
      expect(keysOf(await reader.fetch(null, 10))).toEqual(keysOf(messages.slice(2)));
      expect(imap.messageFiles(address)).toHaveLength(3);
    });

    it("moves nothing for keys of another UIDVALIDITY or another reader", async () => {
      const address = imap.nextAddress();
      deliverToMaildir(imap.maildirRoot, address, testMessage("resta"));
      const reader = imap.reader(address);
      await reader.fetch(null, 10);

      await reader.markProcessed(["imap:1:1", "maildir:1.M1P1.host", "garbage"]);

      expect(await messageCount(await imap.observer(address), "INBOX")).toBe(1);
    });

    it("sees the same bytes and the same Faccia/Elaborati folder as the Maildir reader", async () => {
      const address = imap.nextAddress();
      for (const subject of ["uno", "due"]) deliverToMaildir(imap.maildirRoot, address, testMessage(subject));
      const direct = createMaildirMailbox({ root: imap.maildirRoot, address });
      const viaImap = await imap.reader(address).fetch(null, 10);
      const fromDisk = await direct.fetch(null, 10);
      expect(fromDisk.map((message) => sha256(message.raw))).toEqual(viaImap.map((message) => sha256(message.raw)));

      await direct.markProcessed(keysOf(fromDisk.slice(0, 1)));

      const observer = await imap.observer(address);
      const processed = (await folderPaths(observer)).get("Faccia/Elaborati") ?? "";
      expect(await messageCount(observer, processed)).toBe(1);
      expect(await messageCount(observer, "INBOX")).toBe(1);
    });
  });

  describe("errors", () => {
    it("reports a server that does not answer as MailboxUnavailableError, and waiting does not reject", async () => {
      const address = imap.nextAddress();
      const reader = imap.reader(address, { port: 1 });

      await expect(reader.fetch(null, 10)).rejects.toMatchObject({
        name: "MailboxUnavailableError",
        code: "PEC_MAILBOX_UNAVAILABLE",
      });
      await expect(reader.waitForChange(20, new AbortController().signal)).resolves.toBeUndefined();
    });

    it("refuses to work after close()", async () => {
      const reader = imap.reader(imap.nextAddress());
      await reader.fetch(null, 1);
      await reader.close();
      await expect(reader.fetch(null, 1)).rejects.toBeInstanceOf(MailboxUnavailableError);
    });
  });
  describe("credentials (own Dovecot: a failed login makes it slow down logins from 127.0.0.1)", () => {
    const own = useDovecot();

    it("reports a wrong password as MailboxAuthenticationError, without the password anywhere", async () => {
      const address = own.nextAddress();
      const wrong = "Wrong-Secret-Passw0rd";
      const reader = own.reader(address, { password: wrong });

      const error = await reader.fetch(null, 10).then(
        () => null,
        (rejection: unknown) => rejection,
      );

      expect(error).toBeInstanceOf(MailboxAuthenticationError);
      expect(error).toBeInstanceOf(MailboxUnavailableError);
      expect(error).toMatchObject({ code: "PEC_MAILBOX_AUTH_FAILED" });
      expect(inspect(error, { depth: null })).not.toContain(wrong);
      expect(JSON.stringify(error)).not.toContain(wrong);
      expect(reader.description).toBe(`imap://${encodeURIComponent(address)}@127.0.0.1:${own.server().port}/INBOX`);
      expect(reader.description).not.toContain(PASSWORD);
    });
  });
});
