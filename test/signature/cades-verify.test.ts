/**
 * CAdES verification: validity at the signing time, key usage, time-stamps, the encodings a
 * .p7m arrives in, and the reasons for what is not a signature at all.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addCadesSignature,
  addSignatureTimestamp,
  type CadesReasonCode,
  parsePemBundle,
  signCades,
  verifyCades,
} from "../../src/signature/cades/index.js";
import { readSignedData } from "../support/cms-structure.js";
import { createKeySigner } from "../support/key-signer.js";
import {
  createOpensslPki,
  type OpensslPki,
  type PkiIdentity,
  SKIP_WITHOUT_OPENSSL,
  toPem,
} from "../support/openssl-pki.js";

const CONTENT = Buffer.from("verbale di approvazione");

describe.skipIf(SKIP_WITHOUT_OPENSSL)("verifying CAdES", () => {
  let pki: OpensslPki;
  beforeAll(() => {
    pki = createOpensslPki();
  });
  afterAll(() => pki?.cleanup());

  const signerOf = (identity: PkiIdentity) => createKeySigner(identity.key, identity.chain);
  const tsa = async (digest: Uint8Array) => pki.timestampToken(digest);
  const verify = (p7m: Uint8Array, options: { at?: Date; trust?: Uint8Array[] } = {}) =>
    verifyCades(p7m, { trust: [pki.root.certificate], ...options });
  const codes = (p7m: Uint8Array, options: { at?: Date; trust?: Uint8Array[] } = {}): CadesReasonCode[] =>
    verify(p7m, options).reasons.map((reason) => reason.code);

  describe("validity at the signing time", () => {
    it("a back-dated signing-time does not make an expired certificate valid: it is only the signer's claim", async () => {
      const p7m = await signCades(CONTENT, signerOf(pki.identities.expired), { signingTime: new Date("2020-06-01") });
      expect(codes(p7m)).toEqual(["CERTIFICATE_EXPIRED_AT_SIGNING_TIME"]);
      expect(verify(p7m).signers[0]?.signingTime).toEqual(new Date("2020-06-01"));
      // A caller that knows when the file was received (an archive) validates at that time.
      expect(verify(p7m, { at: new Date("2020-06-01") })).toMatchObject({ valid: true, reasons: [] });
    });

    it("validated before the certificate's notBefore: CERTIFICATE_NOT_YET_VALID", async () => {
      const p7m = await signCades(CONTENT, signerOf(pki.identities.rsa));
      expect(codes(p7m, { at: new Date("2019-06-01") })).toEqual(["CERTIFICATE_NOT_YET_VALID"]);
      expect(verify(p7m, { at: new Date("2019-06-01") }).signers[0]?.checks.validityAtSigningTime).toBe(false);
    });

    it("without signing-time, the time-stamp's genTime is the signing time", async () => {
      const p7m = await signCades(CONTENT, signerOf(pki.identities.expired), { signingTime: null });
      const stamped = await addSignatureTimestamp(p7m, tsa);
      const result = verify(stamped, { at: new Date("2020-06-01") });
      expect(result.reasons.map((r) => r.code)).toEqual(["CERTIFICATE_EXPIRED_AT_SIGNING_TIME"]);
      expect(result.signers[0]?.timestamp).toMatchObject({
        valid: true,
        tsa: "C=IT, O=Faccia Test, CN=Faccia Test TSA",
      });
    });

    it("without signing-time nor time-stamp, `at` is the signing time", async () => {
      const p7m = await signCades(CONTENT, signerOf(pki.identities.expired), { signingTime: null });
      expect(verify(p7m, { at: new Date("2020-06-01") })).toMatchObject({ valid: true });
      expect(codes(p7m)).toEqual(["CERTIFICATE_EXPIRED_AT_SIGNING_TIME"]);
    });
  });

  describe("certificates and trust", () => {
    it("a certificate for key encipherment only: KEY_USAGE_UNFIT", async () => {
      const p7m = await signCades(CONTENT, signerOf(pki.identities.encipherOnly));
      expect(codes(p7m)).toEqual(["KEY_USAGE_UNFIT"]);
    });

    it("the chain runs through an intermediate carried in the .p7m; without it, CHAIN_UNTRUSTED", async () => {
      const identity = pki.identities.ec384;
      expect(verify(await signCades(CONTENT, signerOf(identity))).valid).toBe(true);
      const leafOnly = createKeySigner(identity.key, [identity.certificate]);
      const result = verify(await signCades(CONTENT, leafOnly));
      expect(result.reasons).toEqual([expect.objectContaining({ code: "CHAIN_UNTRUSTED", signerIndex: 0 })]);
      expect(result.reasons[0]?.message).toContain("Faccia Test Intermediate CA");
    });

    it("with no trust anchors nothing is trusted; the signer itself can be the anchor", async () => {
      const p7m = await signCades(CONTENT, signerOf(pki.identities.seal));
      expect(codes(p7m, { trust: [] })).toEqual(["CHAIN_UNTRUSTED"]);
      expect(codes(p7m, { trust: [pki.identities.seal.certificate] })).toEqual([]);
    });

    it("a .p7m without the signer certificate: SIGNER_CERTIFICATE_MISSING", () => {
      const identity = pki.identities.rsa;
      pki.writeFile("nocerts.in", CONTENT);
      const sign = ["cms", "-sign", "-cades", "-binary", "-nodetach", "-md", "sha256", "-nosmimecap", "-nocerts"];
      pki.openssl([
        ...sign,
        "-signer",
        identity.certPath,
        "-inkey",
        identity.keyPath,
        "-in",
        "nocerts.in",
        "-outform",
        "DER",
        "-out",
        "nocerts.p7m",
      ]);
      const result = verify(pki.readFile("nocerts.p7m"));
      expect(result.reasons.map((r) => r.code)).toEqual(["SIGNER_CERTIFICATE_MISSING"]);
      expect(result.signers[0]).toMatchObject({ subject: null, checks: { signature: false, messageDigest: true } });
    });

    it("parallel signers are reported one by one, each reason with its signer's index", async () => {
      const good = await signCades(CONTENT, signerOf(pki.identities.rsa));
      const both = await addCadesSignature(good, signerOf(pki.identities.untrusted));
      const result = verify(both);
      const untrusted = result.signers.findIndex((s) => s.subject?.includes("non fidato"));
      expect(result.valid).toBe(false);
      expect(result.reasons).toEqual([expect.objectContaining({ code: "CHAIN_UNTRUSTED", signerIndex: untrusted })]);
      expect(result.signers[1 - untrusted]?.checks.chain).toBe(true);
    });
  });

  describe("algorithms", () => {
    it("a digest algorithm we do not implement (SHA3-256 named in the SignerInfo): UNKNOWN_ALGORITHM", async () => {
      const p7m = Buffer.from(await signCades(CONTENT, signerOf(pki.identities.rsa)));
      const sha256 = Buffer.from("0609608648016503040201", "hex");
      const at = p7m.lastIndexOf(sha256);
      p7m[at + sha256.length - 1] = 0x08; // 2.16.840.1.101.3.4.2.8, id-sha3-256
      const result = verify(p7m);
      expect(result.reasons.map((r) => r.code)).toEqual(["UNKNOWN_ALGORITHM"]);
      expect(result.signers[0]?.checks).toMatchObject({ signature: false, messageDigest: false });
    });

    it("RSASSA-PSS (openssl -keyopt rsa_padding_mode:pss): UNKNOWN_ALGORITHM, not a broken signature", () => {
      const identity = pki.identities.rsa;
      pki.writeFile("pss.in", CONTENT);
      const sign = ["cms", "-sign", "-cades", "-binary", "-nodetach", "-md", "sha256", "-nosmimecap"];
      const pss = ["-keyopt", "rsa_padding_mode:pss"];
      const files = ["-in", "pss.in", "-outform", "DER", "-out", "pss.p7m"];
      pki.openssl([...sign, "-signer", identity.certPath, "-inkey", identity.keyPath, ...pss, ...files]);
      expect(codes(pki.readFile("pss.p7m"))).toEqual(["UNKNOWN_ALGORITHM"]);
    });
  });

  describe("time-stamps", () => {
    it("a time-stamp from a TSA outside the trust anchors: TIMESTAMP_INVALID", async () => {
      const stamped = await addSignatureTimestamp(await signCades(CONTENT, signerOf(pki.identities.untrusted)), tsa);
      const result = verify(stamped, { trust: [pki.rogueRoot.certificate] });
      expect(result.reasons.map((r) => r.code)).toEqual(["TIMESTAMP_INVALID"]);
      expect(result.signers[0]?.timestamp?.valid).toBe(false);
    });

    it("a time-stamp whose imprint was altered: TIMESTAMP_INVALID", async () => {
      const stamped = Buffer.from(
        await addSignatureTimestamp(await signCades(CONTENT, signerOf(pki.identities.rsa)), tsa),
      );
      const signature = readSignedData(stamped).signerInfos[0]?.signatureValue ?? new Uint8Array();
      const at = stamped.indexOf(createHash("sha256").update(signature).digest());
      expect(at).toBeGreaterThan(0);
      stamped[at + 3] = (stamped[at + 3] ?? 0) ^ 0x55;
      expect(verify(stamped).reasons).toEqual([
        expect.objectContaining({ code: "TIMESTAMP_INVALID", message: "time-stamp covers another signature value" }),
      ]);
    });
  });

  describe("encodings and envelopes", () => {
    it("base64 of our DER, armored or not, verifies like the DER", async () => {
      const der = Buffer.from(await signCades(CONTENT, signerOf(pki.identities.ec256)));
      const lines =
        der
          .toString("base64")
          .match(/.{1,64}/g)
          ?.join("\n") ?? "";
      for (const text of [lines, `-----BEGIN PKCS7-----\n${lines}\n-----END PKCS7-----\n`]) {
        expect(verify(Buffer.from(text))).toMatchObject({ valid: true, content: new Uint8Array(CONTENT) });
      }
    });

    it("three envelopes: every layer's signers, the innermost content", async () => {
      let p7m: Uint8Array = CONTENT;
      for (const name of ["person", "seal", "rsa"] as const) p7m = await signCades(p7m, signerOf(pki.identities[name]));
      const result = verify(p7m);
      expect(result).toMatchObject({ valid: true, content: new Uint8Array(CONTENT) });
      expect(result.signers.map((s) => s.layer)).toEqual([0, 1, 2]);
      expect(result.signers[2]?.fiscalCode).toBe("RSSMRA80A01H501U");
    });

    it("more than eight envelopes: MALFORMED; a signed .p7b is content, not an envelope", async () => {
      let p7m: Uint8Array = CONTENT;
      for (let i = 0; i < 9; i++) p7m = await signCades(p7m, signerOf(pki.identities.ec256));
      expect(codes(p7m)).toEqual(["MALFORMED"]);
      expect(verify(p7m).signers).toHaveLength(8);
      pki.openssl(["crl2pkcs7", "-nocrl", "-certfile", pki.root.certPath, "-outform", "DER", "-out", "bundle.p7b"]);
      const signedBundle = await signCades(pki.readFile("bundle.p7b"), signerOf(pki.identities.ec256));
      expect(verify(signedBundle)).toMatchObject({ valid: true, content: new Uint8Array(pki.readFile("bundle.p7b")) });
    });

    it("a ContentInfo that is not SignedData: NOT_SIGNED_DATA", () => {
      pki.writeFile("data.in", CONTENT);
      pki.openssl(["cms", "-data_create", "-binary", "-in", "data.in", "-outform", "DER", "-out", "data.der"]);
      expect(codes(pki.readFile("data.der"))).toEqual(["NOT_SIGNED_DATA"]);
    });

    it("a certificates-only SignedData (.p7b): NO_SIGNERS", () => {
      pki.openssl(["crl2pkcs7", "-nocrl", "-certfile", pki.root.certPath, "-outform", "DER", "-out", "certs.p7b"]);
      expect(codes(pki.readFile("certs.p7b"))).toContain("NO_SIGNERS");
      expect(verify(pki.readFile("certs.p7b")).valid).toBe(false);
    });

    it.each([
      ["empty input", Buffer.alloc(0)],
      ["text", Buffer.from("Gentile utente, in allegato la relazione.")],
      ["a lone SEQUENCE header", Buffer.from([0x30, 0x82, 0xff, 0xff])],
    ])("%s: MALFORMED", (_, input) => {
      expect(verify(input)).toMatchObject({
        valid: false,
        content: null,
        signers: [],
        reasons: [{ code: "MALFORMED" }],
      });
    });

    it("a truncated .p7m: MALFORMED", async () => {
      const p7m = await signCades(CONTENT, signerOf(pki.identities.rsa));
      expect(codes(p7m.subarray(0, p7m.length - 10))).toEqual(["MALFORMED"]);
    });
  });

  describe("trust anchors from PEM", () => {
    it("reads every certificate of a bundle, ignoring text around them", () => {
      const bundle = `# roots\n${toPem([pki.root.certificate])}subject=whatever\n${toPem([pki.intermediate.certificate])}`;
      const anchors = parsePemBundle(bundle);
      expect(anchors.map((der) => Buffer.from(der))).toEqual(
        [pki.root.certificate, pki.intermediate.certificate].map((d) => Buffer.from(d)),
      );
    });

    it("refuses a block that is not a certificate", () => {
      expect(() => parsePemBundle("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")).toThrow(/block 1/);
    });
  });
});
