import { describe, expect, it } from "vitest";
import { fiscalCodeCheckCharacter, parseFiscalCode, Role, roleAllows } from "../../src/identity/index.js";

describe("parseFiscalCode", () => {
  it.each([
    ["RSSMRA80A01H501U", "RSSMRA80A01H501U"],
    ["rssmra80a01h501u", "RSSMRA80A01H501U"],
    ["TINIT-RSSMRA80A01H501U", "RSSMRA80A01H501U"],
    ["tinit-rssmra80a01h501u", "RSSMRA80A01H501U"],
    [" RSSMRA 80A01 H501U ", "RSSMRA80A01H501U"],
    ["RSSMRA85T10A562S", "RSSMRA85T10A562S"],
  ])("accepts %s as %s", (raw, value) => {
    expect(parseFiscalCode(raw)).toEqual({ ok: true, value });
  });

  it("accepts omocodia codes (digits replaced by letters) with their own check character", () => {
    const first15 = "RSSMRA80A01H50M";
    expect(parseFiscalCode(first15 + fiscalCodeCheckCharacter(first15))).toMatchObject({ ok: true });
  });

  it.each([
    ["a legal person's code", "01234567890", /legal person/],
    ["a short code", "RSSMRA80A01H501", /16 characters/],
    ["a wrong shape", "RSSMRA80Z01H501U", /shape/],
    ["a wrong check character", "RSSMRA80A01H501X", /check character: expected U/],
    ["a wrong omocodia check character", "RSSMRA80A01H50MU", /check character/],
  ])("refuses %s", (_label, raw, reason) => {
    const parsed = parseFiscalCode(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe("roles", () => {
  it("has the four roles of issue 7", () => {
    expect(Role.options).toEqual(["admin", "secretary", "operator", "viewer"]);
  });

  it.each([
    ["admin", { read: true, configure: true, report: true }],
    ["secretary", { read: true, configure: false, report: true }],
    ["operator", { read: true, configure: false, report: false }],
    ["viewer", { read: true, configure: false, report: false }],
  ] as const)("grants %s exactly %o", (role, grants) => {
    for (const [permission, allowed] of Object.entries(grants)) {
      expect(roleAllows(role, permission as "read" | "configure" | "report")).toBe(allowed);
    }
  });
});
