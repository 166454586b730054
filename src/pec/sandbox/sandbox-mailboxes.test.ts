import { describe, expect, it } from "vitest";
import { parseSandboxUsers, SandboxUsersError, sandboxMailboxes } from "./sandbox-mailboxes.js";

describe("parseSandboxUsers (the --users file)", () => {
  it("reads one address and password a line, skipping blank lines and # comments", () => {
    const text = "# sandbox boxes\n\nProtocollo@pec.sandbox.test  s3cret\r\n  ufficio@pec.altro.test\tpw2  \n";
    expect([...parseSandboxUsers(text)]).toEqual([
      ["protocollo@pec.sandbox.test", "s3cret"],
      ["ufficio@pec.altro.test", "pw2"],
    ]);
  });

  it.each([
    ["a@pec.sandbox.test pw\n\nb@pec.sandbox.test\n", 3, /line 3: expected "address password", got 1 field/],
    ["a@pec.sandbox.test pw extra\n", 1, /line 1: expected "address password", got 3 field/],
    ["# ok\nnot-an-address pw\n", 2, /line 2: the first field is not a usable mailbox address/],
    ["a@pec.sandbox.test pw\nA@pec.sandbox.test other\n", 2, /line 2: A@pec.sandbox.test is listed twice/],
  ])("names the malformed line of %j", (text, line, message) => {
    expect(() => parseSandboxUsers(text)).toThrow(SandboxUsersError);
    expect(() => parseSandboxUsers(text)).toThrow(
      expect.objectContaining({ line, message: expect.stringMatching(message) }),
    );
  });

  it("never puts a password in its error messages", () => {
    expect(() => parseSandboxUsers("a@pec.sandbox.test pw1 pw2-secret\n")).toThrow(/^(?!.*secret)/);
  });
});

describe("sandboxMailboxes", () => {
  it("without a users map, every address of the domain is a box with the shared password", () => {
    const boxes = sandboxMailboxes({ domain: "pec.sandbox.test", password: "sandbox" });
    expect(boxes.authenticate("Mario@PEC.sandbox.test", "sandbox")).toBe("mario@pec.sandbox.test");
    expect(boxes.authenticate("mario@pec.sandbox.test", "wrong")).toBeNull();
    expect(boxes.authenticate("mario@pec.altro.test", "sandbox")).toBeNull();
    expect(boxes.exists("anyone@pec.sandbox.test")).toBe(true);
    expect(boxes.exists("../x@pec.sandbox.test")).toBe(false);
    expect(boxes.isLocal("x@pec.altro.test")).toBe(false);
  });

  it("with a users map, only those boxes exist, each with its own password", () => {
    const users = new Map([
      ["protocollo@pec.sandbox.test", "pw1"],
      ["esterno@pec.altro.test", "pw2"],
    ]);
    const boxes = sandboxMailboxes({ domain: "pec.sandbox.test", password: "sandbox", users });
    expect(boxes.authenticate("protocollo@pec.sandbox.test", "pw1")).toBe("protocollo@pec.sandbox.test");
    expect(boxes.authenticate("protocollo@pec.sandbox.test", "sandbox")).toBeNull();
    expect(boxes.authenticate("other@pec.sandbox.test", "sandbox")).toBeNull();
    expect(boxes.exists("other@pec.sandbox.test")).toBe(false);
    expect(boxes.isLocal("other@pec.sandbox.test")).toBe(true);
    expect(boxes.exists("esterno@pec.altro.test")).toBe(true);
    expect(boxes.isLocal("esterno@pec.altro.test")).toBe(true);
  });
});
