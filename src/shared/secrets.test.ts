import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashSecret, newPairingCode, newToken, normalizePairingCode } from "./secrets.js";

describe("pairing codes", () => {
  it("look like XXXX-XXXX in Crockford base32", () => {
    for (let i = 0; i < 200; i++) expect(newPairingCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it("survive how a person types them back", () => {
    fc.assert(
      fc.property(fc.constantFrom(...Array.from({ length: 50 }, newPairingCode)), fc.boolean(), (code, spaced) => {
        const typed = (spaced ? code.replace("-", " ") : code.replace("-", "")).toLowerCase();
        expect(normalizePairingCode(typed)).toBe(code);
      }),
    );
  });

  it("read O as zero and I or L as one", () => {
    expect(normalizePairingCode("oiL2-3456")).toBe("0112-3456");
  });
});

describe("tokens", () => {
  it("are prefixed, random and stored as a SHA-256 hex digest", () => {
    const a = newToken("fk");
    expect(a).toMatch(/^fk_[A-Za-z0-9_-]{43}$/);
    expect(newToken("fk")).not.toBe(a);
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
