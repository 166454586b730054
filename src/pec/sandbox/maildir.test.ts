import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { deliverToMaildir, isMailboxAddress, mailboxDirectory, readMaildir } from "./maildir.js";

/** The standard Maildir layout Dovecot reads (`mail_location = maildir:<root>/%u`). */
let root = "";
afterEach(() => rmSync(root, { recursive: true, force: true }));
const freshRoot = () => {
  root = mkdtempSync(join(tmpdir(), "faccia-maildir-"));
  return root;
};

describe("deliverToMaildir", () => {
  it("creates cur, new and tmp on first use and leaves the message in new/ only", async () => {
    const path = await deliverToMaildir(
      freshRoot(),
      "Mario.Rossi@PEC.Sandbox.test",
      Buffer.from("Subject: a\r\n\r\nx"),
    );
    const box = join(root, "mario.rossi@pec.sandbox.test");
    expect(readdirSync(box).sort()).toEqual(["cur", "new", "tmp"]);
    expect(readdirSync(join(box, "tmp"))).toEqual([]);
    expect(readdirSync(join(box, "new"))).toHaveLength(1);
    expect(path.startsWith(join(box, "new"))).toBe(true);
    expect(readFileSync(path, "latin1")).toBe("Subject: a\r\n\r\nx");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("names files <secs>.M<usecs>P<pid>Q<n>.<host>, unique and in delivery order", async () => {
    freshRoot();
    const paths = [];
    for (const n of [1, 2, 3]) paths.push(await deliverToMaildir(root, "a@pec.sandbox.test", Buffer.from(`n${n}`)));
    const names = paths.map((path) => path.split("/").pop() ?? "");
    for (const name of names) expect(name).toMatch(new RegExp(`^\\d+\\.M\\d{1,6}P${process.pid}Q\\d+\\.[^/:]+$`));
    expect(new Set(names).size).toBe(3);
    const read = await readMaildir(root, "a@pec.sandbox.test");
    expect(read.map((message) => Buffer.from(message.bytes).toString())).toEqual(["n1", "n2", "n3"]);
  });

  it("reads an address never written as an empty box", async () => {
    expect(await readMaildir(freshRoot(), "nobody@pec.sandbox.test")).toEqual([]);
  });

  it.each(["../etc@pec.sandbox.test", "a/b@pec.sandbox.test", ".hidden@pec.sandbox.test", "a@localhost", "no-at"])(
    "refuses %s as a mailbox directory name",
    async (address) => {
      expect(isMailboxAddress(address)).toBe(false);
      expect(() => mailboxDirectory("/srv/maildir", address)).toThrow(TypeError);
      await expect(deliverToMaildir(freshRoot(), address, Buffer.from("x"))).rejects.toThrow(TypeError);
    },
  );
});
