/**
 * CAdES signing: the DER we write, checked structurally by a walker that is not our parser
 * (test/support/cms-structure.ts), parallel signatures and time-stamps that keep existing
 * bytes, and the refusals of the signing side.
 */
import { createHash } from "node:crypto";
import { ObjectIdentifier } from "asn1js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/shared/errors.js";
import { derOid, derTime, encodeLength, sortDer } from "../../src/signature/cades/der.js";
import {
  addCadesSignature,
  addSignatureTimestamp,
  signCades,
  signCadesChunked,
  verifyCades,
} from "../../src/signature/cades/index.js";
import {
  assertCadesStructure,
  PADES_ATTRIBUTES,
  readSignedData,
  TIMESTAMP_ATTRIBUTE,
} from "../support/cms-structure.js";
import { createKeySigner } from "../support/key-signer.js";
import { createOpensslPki, type OpensslPki, type PkiIdentity, SKIP_WITHOUT_OPENSSL } from "../support/openssl-pki.js";

const CONTENT = Buffer.from("report-c_h501-2026-01.pdf bytes");

describe("DER helpers", () => {
  it.each([0, 1, 127, 128, 255, 256, 65_535, 65_536, 20 * 1024 * 1024])("encodes length %i in minimal form", (n) => {
    const encoded = encodeLength(n);
    if (n < 128) expect([...encoded]).toEqual([n]);
    else {
      const octets = [...encoded.subarray(1)];
      expect(encoded[0]).toBe(0x80 | octets.length);
      expect(octets[0]).not.toBe(0);
      expect(octets.reduce((value, octet) => value * 256 + octet, 0)).toBe(n);
    }
  });

  it.each(["1.2.840.113549.1.9.16.2.47", "2.5.4.97", "1.3.6.1.4.1.99999.1", "2.999.1", "0.9.2342.19200300.100.1.1"])(
    "encodes OID %s as asn1js does",
    (oid) => {
      expect(Buffer.from(derOid(oid))).toEqual(Buffer.from(new ObjectIdentifier({ value: oid }).toBER()));
    },
  );

  it("writes UTCTime until 2049 and GeneralizedTime from 2050, whole seconds (RFC 5652 §11.3)", () => {
    const text = (date: string) => Buffer.from(derTime(new Date(date)).subarray(2)).toString("latin1");
    expect(derTime(new Date("2049-12-31T23:59:59.999Z"))[0]).toBe(0x17);
    expect(text("2049-12-31T23:59:59.999Z")).toBe("491231235959Z");
    expect(derTime(new Date("2050-01-01T00:00:00Z"))[0]).toBe(0x18);
    expect(text("2050-01-01T00:00:00Z")).toBe("20500101000000Z");
    expect(text("1999-03-04T05:06:07Z")).toBe("990304050607Z");
  });

  it("sorts a SET OF by encoded bytes, shorter prefix first, and drops duplicates (X.690 §11.6)", () => {
    const items = [
      [0x31, 2],
      [0x30, 5, 1],
      [0x30, 5],
      [0x31, 2],
    ].map((bytes) => Uint8Array.from(bytes));
    expect(sortDer(items).map((item) => [...item])).toEqual([
      [0x30, 5],
      [0x30, 5, 1],
      [0x31, 2],
    ]);
  });
});

describe.skipIf(SKIP_WITHOUT_OPENSSL)("signing CAdES", () => {
  let pki: OpensslPki;
  beforeAll(() => {
    pki = createOpensslPki();
  });
  afterAll(() => pki?.cleanup());
  const signerOf = (identity: PkiIdentity) => createKeySigner(identity.key, identity.chain);

  describe("happy path", () => {
    it.each(["rsa", "ec256", "ec384"] as const)(
      "%s: B-B attributes, DER order, ESSCertIDv2 = SHA-256 of the certificate",
      async (name) => {
        const identity = pki.identities[name];
        const p7m = await signCades(CONTENT, signerOf(identity));
        assertCadesStructure(p7m, [identity.certificate]);
        const signedData = readSignedData(p7m);
        expect(signedData).toMatchObject({ version: 1, contentType: "1.2.840.113549.1.7.1" });
        expect(Buffer.from(signedData.content ?? [])).toEqual(CONTENT);
        expect(signedData.certificates.map((c) => Buffer.from(c))).toEqual(
          expect.arrayContaining(identity.chain.map((c) => Buffer.from(c))),
        );
      },
    );

    it("signs at the given time, to the second", async () => {
      const signingTime = new Date("2026-02-01T10:20:30.456Z");
      const p7m = await signCades(CONTENT, signerOf(pki.identities.rsa), { signingTime });
      const result = verifyCades(p7m, { trust: [pki.root.certificate] });
      expect(result.signers[0]?.signingTime).toEqual(new Date("2026-02-01T10:20:30Z"));
    });

    it("PAdES profile: detached, no signing-time; verifies only with the content", async () => {
      const cms = await signCades(CONTENT, signerOf(pki.identities.seal), { detached: true, signingTime: null });
      assertCadesStructure(cms, [pki.identities.seal.certificate], PADES_ATTRIBUTES);
      expect(readSignedData(cms).content).toBeNull();
      const trust = [pki.root.certificate];
      expect(verifyCades(cms, { trust, detachedContent: CONTENT })).toMatchObject({ valid: true, reasons: [] });
      expect(verifyCades(cms, { trust }).reasons.map((r) => r.code)).toEqual(["DETACHED_CONTENT_MISSING"]);
    });

    it("the chunked form concatenates to the same structure and hands back the content buffer itself", async () => {
      const signer = signerOf(pki.identities.rsa);
      const signingTime = new Date("2026-03-01T00:00:00Z");
      const chunks = await signCadesChunked(CONTENT, signer, { signingTime });
      expect(chunks[1]).toBe(CONTENT);
      const joined = Buffer.concat(chunks);
      assertCadesStructure(joined, [pki.identities.rsa.certificate]);
      expect(verifyCades(joined, { trust: [pki.root.certificate] })).toMatchObject({ valid: true });
    });
  });

  describe("parallel signatures and time-stamps", () => {
    it("a second signer keeps the first SignerInfo byte-exact and adds no duplicate certificate", async () => {
      const first = await signCades(CONTENT, signerOf(pki.identities.rsa));
      const both = await addCadesSignature(first, signerOf(pki.identities.ec256));
      const before = readSignedData(first);
      const after = readSignedData(both);
      expect(after.signerInfos.map((s) => Buffer.from(s.raw))).toContainEqual(
        Buffer.from(before.signerInfos[0]?.raw ?? []),
      );
      expect(after.certificates).toHaveLength(2);
      expect(Buffer.from(after.content ?? [])).toEqual(CONTENT);
      const [a, b] = after.signerInfos.map((s) => s.raw);
      const order = Buffer.compare(Buffer.from(a ?? []), Buffer.from(b ?? []));
      expect(order).toBeLessThan(0); // SET OF SignerInfo in DER order
    });

    it("time-stamping one signer rewrites only its unsigned attributes", async () => {
      const both = await addCadesSignature(
        await signCades(CONTENT, signerOf(pki.identities.rsa)),
        signerOf(pki.identities.ec256),
      );
      const stamped = await addSignatureTimestamp(both, async (digest) => pki.timestampToken(digest), {
        signerIndex: 1,
      });
      const [untouched, changed] = readSignedData(stamped).signerInfos;
      const [original0, original1] = readSignedData(both).signerInfos;
      expect(Buffer.from(untouched?.raw ?? [])).toEqual(Buffer.from(original0?.raw ?? []));
      expect(changed?.unsignedAttributeOids).toEqual([TIMESTAMP_ATTRIBUTE]);
      expect(Buffer.from(changed?.raw ?? [])).not.toEqual(Buffer.from(original1?.raw ?? []));
      expect(changed?.signedAttributes).toEqual(original1?.signedAttributes);
      expect(Buffer.from(changed?.signatureValue ?? [])).toEqual(Buffer.from(original1?.signatureValue ?? []));
    });

    it("asks the TSA for SHA-256 of each signature value", async () => {
      const p7m = await signCades(CONTENT, signerOf(pki.identities.ec384));
      const asked: string[] = [];
      await addSignatureTimestamp(p7m, async (digest) => {
        asked.push(Buffer.from(digest).toString("hex"));
        return pki.timestampToken(digest);
      });
      const signature = readSignedData(p7m).signerInfos[0]?.signatureValue ?? new Uint8Array();
      expect(asked).toEqual([createHash("sha256").update(signature).digest("hex")]);
    });
  });

  describe("refusals", () => {
    it("a signer whose key does not match its certificate", async () => {
      const mismatched = createKeySigner(pki.identities.rsa.key, pki.identities.seal.chain);
      await expect(signCades(CONTENT, mismatched)).rejects.toMatchObject({ code: "INTERNAL_ERROR" });
    });

    it("a signer whose declared key algorithm is not its certificate's", async () => {
      const lying = { ...signerOf(pki.identities.rsa), keyAlgorithm: { kind: "ec", namedCurve: "P-256" } as const };
      await expect(signCades(CONTENT, lying)).rejects.toMatchObject({ code: "INTERNAL_ERROR" });
    });

    it("a signer without certificates", async () => {
      const none = createKeySigner(pki.identities.rsa.key, []);
      await expect(signCades(CONTENT, none)).rejects.toBeInstanceOf(AppError);
    });

    it("co-signing something that is not a SignedData", async () => {
      const promise = addCadesSignature(Buffer.from("not a p7m"), signerOf(pki.identities.rsa));
      await expect(promise).rejects.toMatchObject({ code: "REQUEST_VALIDATION_FAILED" });
    });

    it("co-signing a detached SignedData without its content", async () => {
      const cms = await signCades(CONTENT, signerOf(pki.identities.rsa), { detached: true });
      await expect(addCadesSignature(cms, signerOf(pki.identities.ec256))).rejects.toMatchObject({
        code: "REQUEST_VALIDATION_FAILED",
      });
      const both = await addCadesSignature(cms, signerOf(pki.identities.ec256), { detachedContent: CONTENT });
      expect(verifyCades(both, { trust: [pki.root.certificate], detachedContent: CONTENT }).valid).toBe(true);
    });

    it("a TSA token over another imprint, and a TSA answer that is no token", async () => {
      const p7m = await signCades(CONTENT, signerOf(pki.identities.rsa));
      const other = async () => pki.timestampToken(new Uint8Array(32));
      await expect(addSignatureTimestamp(p7m, other)).rejects.toMatchObject({ code: "INTERNAL_ERROR" });
      await expect(addSignatureTimestamp(p7m, async () => Uint8Array.of(1, 2))).rejects.toMatchObject({
        code: "INTERNAL_ERROR",
      });
      await expect(addSignatureTimestamp(p7m, other, { signerIndex: 3 })).rejects.toMatchObject({
        code: "REQUEST_VALIDATION_FAILED",
      });
    });
  });
});
