import { beforeAll, describe, expect, it } from "vitest";
import { makeTestPdf } from "../../test/support/pdf-fixtures.js";
import { signCades } from "./cades/index.js";
import { generateDevCertificates } from "./certificates/dev-certificates.js";
import { Pkcs12Signer } from "./keystore/pkcs12-signer.js";
import { signPades } from "./pades/index.js";
import type { Signer } from "./signer.js";
import { padesSignsPrefix, verifySignature } from "./verify-signature.js";

const P256 = { kind: "ec", namedCurve: "P-256" } as const;
let signer: Signer;
let trust: Uint8Array[];
let pdf: Uint8Array;

beforeAll(async () => {
  const set = await generateDevCertificates({
    ipa: "c_test",
    entityName: "Comune di Test",
    now: new Date(Date.now() - 86_400_000),
    keys: { ca: P256, seal: P256, pecProvider: P256, samlSp: P256, tsa: P256 },
  });
  signer = Pkcs12Signer.fromPkcs8(set.seal.privateKey, [set.seal.certificate, set.ca.certificate]);
  trust = [set.ca.certificate];
  pdf = await makeTestPdf();
});

const padesOf = (
  input: Uint8Array,
  build = (bytes: Uint8Array) => signCades(bytes, signer, { detached: true, signingTime: null }),
) => signPades(input, build, { signingTime: new Date(), reason: "Relazione" });

describe("verifySignature on PDFs (PAdES)", () => {
  it("accepts one signature over the whole file, which starts with the original", async () => {
    const signed = await padesOf(pdf);
    const result = verifySignature(signed, { trust });
    expect(result).toMatchObject({ valid: true, format: "pades", reasons: [] });
    expect(padesSignsPrefix(result, pdf)).toBe(true);
    expect(padesSignsPrefix(result, await makeTestPdf("un'altra relazione"))).toBe(false);
  });

  it("refuses an old attached .p7m pasted into /Contents: the PDF's own bytes must be what is signed", async () => {
    const oldEnvelope = await signCades(new TextEncoder().encode("the report of another month"), signer);
    const forged = await padesOf(pdf, async () => oldEnvelope);
    const result = verifySignature(forged, { trust });
    expect(result.valid).toBe(false);
    expect(result.reasons.map((r) => r.code)).toContain("CONTENT_NOT_DETACHED");
  });

  it("does not take a second signature or a later update as signing the original", async () => {
    const twice = await padesOf(await padesOf(pdf));
    const result = verifySignature(twice, { trust });
    expect(result.signers).toHaveLength(2);
    expect(padesSignsPrefix(result, pdf)).toBe(false);
  });
});

describe("verifySignature on hostile envelopes", () => {
  it("refuses millions of tiny elements as MALFORMED instead of parsing them all", () => {
    const nulls = Buffer.alloc(600_000);
    for (let i = 0; i < nulls.length; i += 2) nulls[i] = 0x05;
    const envelope = Buffer.concat([Buffer.from([0x30, 0x83, 0x09, 0x27, 0xc0]), nulls]);
    const result = verifySignature(envelope, { trust });
    expect(result.valid).toBe(false);
    expect(result.reasons.map((r) => r.code)).toEqual(["MALFORMED"]);
  });
});
