import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverToMaildir, testMessage } from "../../../test/support/maildir-delivery.js";
import { MailboxUnavailableError } from "../domain/mailbox.js";
import { createMaildirMailbox } from "./maildir-mailbox.js";

const ADDRESS = "protocollo@pec.comune.example.it";

describe("Maildir mailbox reader", () => {
  let root = "";
  let box = "";
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "faccia-maildir-"));
    box = join(root, ADDRESS);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const reader = () => createMaildirMailbox({ root, address: ADDRESS });
  const deliver = (subject: string, receivedAt?: Date) =>
    deliverToMaildir(root, ADDRESS, testMessage(subject), receivedAt ? { receivedAt } : {});
  /** What Dovecot does when it first sees a message: new/ → cur/ with the `:2,` info. */
  function moveToCur(name: string, flags = ""): void {
    writeFileSync(join(box, "cur", `${name}:2,${flags}`), readFileSync(join(box, "new", name)));
    rmSync(join(box, "new", name));
  }

  describe("fetch", () => {
    it("returns the messages of new/ and cur/, oldest first, byte for byte, with the file's mtime", async () => {
      const later = deliver("later", new Date("2025-12-01T10:00:00Z"));
      const earlier = deliver("earlier", new Date("2025-12-01T09:00:00Z"));
      moveToCur(later, "S");

      const messages = await reader().fetch(null, 10);

      expect(messages.map((message) => message.key)).toEqual([`maildir:${earlier}`, `maildir:${later}`]);
      expect(Buffer.from(messages[0]?.raw ?? []).toString()).toBe(readFileSync(join(box, "new", earlier), "utf8"));
      expect(messages[0]?.receivedAt?.toISOString()).toBe("2025-12-01T09:00:00.000Z");
      expect(messages.every((message) => message.position === null)).toBe(true);
    });

    it("orders messages of the same second by the name's microseconds, then by name", async () => {
      const second = 1_764_579_600;
      const names = [`${second}.M20P1.host`, `${second}.M3P1.host`, `${second}.M3P1.another`, `${second - 1}.x.host`];
      mkdirSync(join(box, "new"), { recursive: true });
      for (const name of names) writeFileSync(join(box, "new", name), name);

      const keys = (await reader().fetch(null, 10)).map((message) => message.key);

      expect(keys).toEqual([names[3], names[2], names[1], names[0]].map((name) => `maildir:${name}`));
    });

    it("returns at most `limit` messages and ignores the cursor", async () => {
      for (const subject of ["uno", "due", "tre"]) deliver(subject);

      const page = await reader().fetch({ uidValidity: "1", uid: 99 }, 2);

      expect(page).toHaveLength(2);
      expect(await reader().fetch(null, 0)).toEqual([]);
    });

    it("ignores tmp/ (deliveries in progress) and dot files", async () => {
      mkdirSync(join(box, "tmp"), { recursive: true });
      mkdirSync(join(box, "new"), { recursive: true });
      writeFileSync(join(box, "tmp", "1.M1P1.host"), "half a message");
      writeFileSync(join(box, "new", ".hidden"), "not a message");

      expect(await reader().fetch(null, 10)).toEqual([]);
    });

    it("returns nothing while the Maildir does not exist yet", async () => {
      expect(await reader().fetch(null, 10)).toEqual([]);
    });

    it("reports a Maildir it cannot read as MailboxUnavailableError", async () => {
      mkdirSync(box, { recursive: true });
      writeFileSync(join(box, "new"), "a file where the directory should be");

      await expect(reader().fetch(null, 10)).rejects.toBeInstanceOf(MailboxUnavailableError);
    });
  });

  describe("markProcessed", () => {
    it("moves the messages into .Faccia.Elaborati/cur, keeping flags, and deletes nothing", async () => {
      const fresh = deliver("nuovo");
      const seen = deliver("letto");
      const kept = deliver("resta");
      moveToCur(seen, "S");
      const mailbox = reader();
      const keys = (await mailbox.fetch(null, 10)).map((message) => message.key);

      await mailbox.markProcessed(keys.slice(0, 2));

      const processed = join(box, ".Faccia.Elaborati");
      expect(readdirSync(join(processed, "cur")).sort()).toEqual([`${fresh}:2,`, `${seen}:2,S`].sort());
      expect(existsSync(join(processed, "maildirfolder"))).toBe(true);
      expect(readdirSync(join(processed, "new"))).toEqual([]);
      expect(readdirSync(join(processed, "tmp"))).toEqual([]);
      expect((await mailbox.fetch(null, 10)).map((message) => message.key)).toEqual([`maildir:${kept}`]);
    });

    it("is harmless to repeat, and ignores keys that are not this Maildir's", async () => {
      const name = deliver("uno");
      const mailbox = reader();

      await mailbox.markProcessed([`maildir:${name}`]);
      await mailbox.markProcessed([`maildir:${name}`, "imap:1:1", "maildir:../../etc/passwd", "maildir:"]);

      expect(readdirSync(join(box, ".Faccia.Elaborati", "cur"))).toEqual([`${name}:2,`]);
      expect(readdirSync(join(box, "new"))).toEqual([]);
    });

    it("creates no folder when there is nothing to move", async () => {
      await reader().markProcessed(["imap:1:1"]);
      expect(existsSync(join(box, ".Faccia.Elaborati"))).toBe(false);
    });
  });

  describe("waitForChange", () => {
    it("resolves when a message lands in new/", async () => {
      deliver("già letto");
      const mailbox = reader();
      await mailbox.fetch(null, 10);

      const waiting = mailbox.waitForChange(60_000, new AbortController().signal);
      deliver("nuovo");

      await expect(waiting).resolves.toBeUndefined();
    });

    it("resolves at once for a message delivered since the last fetch", async () => {
      const mailbox = reader();
      await mailbox.fetch(null, 10);
      deliver("arrivato prima dell'attesa");

      await expect(mailbox.waitForChange(60_000, new AbortController().signal)).resolves.toBeUndefined();
    });

    it("resolves after pollMs without news, even before the Maildir exists", async () => {
      await expect(reader().waitForChange(20, new AbortController().signal)).resolves.toBeUndefined();
    });

    it("resolves at once on abort", async () => {
      deliver("uno");
      const mailbox = reader();
      await mailbox.fetch(null, 10);
      const controller = new AbortController();

      const waiting = mailbox.waitForChange(60_000, controller.signal);
      controller.abort();

      await expect(waiting).resolves.toBeUndefined();
    });
  });

  it.each(["", ".", "..", "a/b", "..\\x"])("refuses %j as the address", (address) => {
    expect(() => createMaildirMailbox({ root, address })).toThrow(/Maildir name/);
  });

  it("reads the Maildir of the address lower-cased, as the sandbox and Dovecot name it", async () => {
    deliver("uno");
    const mailbox = createMaildirMailbox({ root, address: ADDRESS.toUpperCase() });
    expect(await mailbox.fetch(null, 10)).toHaveLength(1);
  });

  it("describes itself by its path", () => {
    expect(reader().description).toBe(box);
  });
});
