/**
 * Interoperability proof for CAdES (issue 5, "Interoperability proof"): every .p7m we make
 * passes `openssl cms -verify -cades` and gives back the content; every .p7m OpenSSL makes
 * passes our verifier; broken variants fail in both, with the right reason on our side.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addCadesSignature,
  addSignatureTimestamp,
  type CadesReasonCode,
  signCades,
  verifyCades,
} from "../../src/signature/cades/index.js";
import { assertCadesStructure, readSignedData, resignAttributes } from "../support/cms-structure.js";
import { createKeySigner } from "../support/key-signer.js";
import {
  cadesSignArgs,
  cadesVerifyArgs,
  createOpensslPki,
  type OpensslPki,
  type PkiIdentity,
  SKIP_WITHOUT_OPENSSL,
} from "../support/openssl-pki.js";

const CONTENT = Buffer.concat([
  Buffer.from("Relazione mensile Mettiamoci la faccia\r\n"),
  Buffer.from([0, 0xff, 0x80, 0x0a]),
]);
const SIGNERS = ["rsa", "ec256", "ec384", "seal", "person"] as const;

describe.skipIf(SKIP_WITHOUT_OPENSSL)("CAdES and OpenSSL", () => {
  let pki: OpensslPki;
  let files = 0;
  beforeAll(() => {
    pki = createOpensslPki();
  });
  afterAll(() => pki?.cleanup());

  const signerOf = (identity: PkiIdentity) => createKeySigner(identity.key, identity.chain);
  const trust = () => [pki.root.certificate];

  /** `openssl cms -verify -cades` against the test root; returns the extracted content. */
  function opensslVerify(p7m: Uint8Array): Buffer {
    const name = `ours-${++files}`;
    pki.writeFile(`${name}.p7m`, p7m);
    const result = pki.tryOpenssl(cadesVerifyArgs(`${name}.p7m`, pki.root.certPath, "-out", `${name}.out`));
    expect(result.stderr).toContain("CAdES Verification successful");
    expect(result.status).toBe(0);
    return pki.readFile(`${name}.out`);
  }

  /** `openssl cms -sign -cades` as the issue prescribes, plus `extra` options. */
  function opensslSign(identity: PkiIdentity, extra: readonly string[] = [], content: Uint8Array = CONTENT): Buffer {
    const name = `theirs-${++files}`;
    pki.writeFile(`${name}.in`, content);
    const format = extra.includes("-outform") ? [] : ["-outform", "DER"];
    pki.openssl([...cadesSignArgs(identity), ...format, ...extra, "-in", `${name}.in`, "-out", `${name}.p7m`]);
    return pki.readFile(`${name}.p7m`);
  }

  const codes = (p7m: Uint8Array, options: { at?: Date } = {}): CadesReasonCode[] =>
    verifyCades(p7m, { trust: trust(), ...options }).reasons.map((reason) => reason.code);

  describe("our .p7m passes openssl cms -verify -cades", () => {
    it.each(SIGNERS)("enveloping, signed with the %s certificate", async (name) => {
      const identity = pki.identities[name];
      const p7m = await signCades(CONTENT, signerOf(identity));
      expect(opensslVerify(p7m)).toEqual(CONTENT);
      assertCadesStructure(p7m, [identity.certificate]);
    });

    it.each([
      ["rsa", "sha384", "sha384WithRSAEncryption"],
      ["rsa", "sha512", "sha512WithRSAEncryption"],
      ["ec384", "sha384", "ecdsa-with-SHA384"],
      ["ec256", "sha256", "ecdsa-with-SHA256"],
    ] as const)("%s with %s is labelled %s, as openssl reads it", async (name, digestAlgorithm, label) => {
      const p7m = await signCades(CONTENT, signerOf(pki.identities[name]), { digestAlgorithm });
      expect(opensslVerify(p7m)).toEqual(CONTENT);
      pki.writeFile("labelled.p7m", p7m);
      const printed = pki.openssl(["cms", "-cmsout", "-print", "-noout", "-inform", "DER", "-in", "labelled.p7m"]);
      expect(printed.toString()).toMatch(new RegExp(`signatureAlgorithm: \\s*algorithm: ${label} `));
    });

    it("a parallel signature (RSA, then P-384 under an intermediate) verifies for both signers", async () => {
      const first = await signCades(CONTENT, signerOf(pki.identities.rsa));
      const both = await addCadesSignature(first, signerOf(pki.identities.ec384));
      expect(opensslVerify(both)).toEqual(CONTENT);
      expect(readSignedData(both).signerInfos).toHaveLength(2);
      expect(readSignedData(both).signerInfos.map((info) => info.raw)).toContainEqual(
        readSignedData(first).signerInfos[0]?.raw,
      );
    });

    it("CAdES-T: the CMS verifies, and openssl ts accepts the token over SHA-256 of the signature value", async () => {
      const plain = await signCades(CONTENT, signerOf(pki.identities.seal));
      const stamped = await addSignatureTimestamp(plain, async (digest) => pki.timestampToken(digest));
      expect(opensslVerify(stamped)).toEqual(CONTENT);
      const [info] = readSignedData(stamped).signerInfos;
      if (!info?.timestampToken) throw new Error("no signature-time-stamp");
      pki.writeFile("token.tst", info.timestampToken);
      const digest = createHash("sha256").update(info.signatureValue).digest("hex");
      const tsVerify = [
        "ts",
        "-verify",
        "-token_in",
        "-in",
        "token.tst",
        "-digest",
        digest,
        "-CAfile",
        pki.root.certPath,
      ];
      expect(pki.tryOpenssl(tsVerify)).toMatchObject({
        status: 0,
        stdout: expect.stringContaining("Verification: OK"),
      });
    });

    it("a .p7m.p7m: openssl opens the outer envelope and finds our inner one, which it verifies too", async () => {
      const inner = await signCades(CONTENT, signerOf(pki.identities.person));
      const outer = await signCades(inner, signerOf(pki.identities.seal));
      expect(opensslVerify(opensslVerify(outer))).toEqual(CONTENT);
    });

    it("openssl -resign adds its signer to our .p7m and we verify both", async () => {
      pki.writeFile("to-resign.p7m", await signCades(CONTENT, signerOf(pki.identities.rsa)));
      const signer = pki.identities.ec256;
      const inOut = ["-inform", "DER", "-in", "to-resign.p7m", "-outform", "DER", "-out", "resigned.p7m"];
      pki.openssl([...cadesSignArgs(signer, "-resign"), ...inOut]);
      const result = verifyCades(pki.readFile("resigned.p7m"), { trust: trust() });
      expect(result).toMatchObject({ valid: true, reasons: [] });
      expect(result.signers.map((s) => s.subject).sort()).toEqual([
        "C=IT, O=Comune di Test, CN=Firmatario P-256",
        "C=IT, O=Comune di Test, CN=Firmatario RSA",
      ]);
    });
  });

  describe("openssl's .p7m passes our verifier", () => {
    it.each(SIGNERS)("signed with the %s certificate", (name) => {
      const result = verifyCades(opensslSign(pki.identities[name]), { trust: trust() });
      expect(result.reasons).toEqual([]);
      expect(result.valid).toBe(true);
      expect(Buffer.from(result.content ?? [])).toEqual(CONTENT);
      expect(result.signers[0]?.checks).toEqual({
        signature: true,
        messageDigest: true,
        signingCertificateV2: true,
        attributeOrder: true,
        chain: true,
        validityAtSigningTime: true,
        keyUsage: true,
      });
    });

    it("reports the seal's organizationIdentifier and the person's fiscal code", () => {
      const seal = verifyCades(opensslSign(pki.identities.seal), { trust: trust() }).signers[0];
      const person = verifyCades(opensslSign(pki.identities.person), { trust: trust() }).signers[0];
      expect(seal).toMatchObject({
        organizationIdentifier: "PA:IT-c_h501",
        fiscalCode: null,
        digestAlgorithm: "sha256",
      });
      expect(person).toMatchObject({ fiscalCode: "RSSMRA80A01H501U", organizationIdentifier: null });
      expect(person?.subject).toBe("C=IT, GN=Mario, SN=Rossi, serialNumber=TINIT-RSSMRA80A01H501U, CN=Rossi Mario");
      expect(person?.issuer).toBe("C=IT, O=Faccia Test, CN=Faccia Test Root CA");
      expect(person?.signingTime).toBeInstanceOf(Date);
    });

    it("BER with indefinite lengths and a constructed OCTET STRING (-stream)", () => {
      const content = Buffer.alloc(100_000, "Faccia ");
      const ber = opensslSign(pki.identities.rsa, ["-stream"], content);
      expect([...ber.subarray(0, 2)]).toEqual([0x30, 0x80]);
      const result = verifyCades(ber, { trust: trust() });
      expect(result).toMatchObject({ valid: true, reasons: [] });
      expect(Buffer.from(result.content ?? [])).toEqual(content);
    });

    it("base64, with PEM armor and as bare lines", () => {
      const pem = opensslSign(pki.identities.ec256, ["-outform", "PEM"]);
      expect(pem.toString()).toMatch(/^-----BEGIN CMS-----\r?\n/);
      const bare = Buffer.from(
        pem
          .toString()
          .replace(/-----[A-Z ]+-----/g, "")
          .replace(/\n/g, "\r\n"),
      );
      for (const input of [pem, bare]) expect(verifyCades(input, { trust: trust() })).toMatchObject({ valid: true });
    });

    it("a .p7m.p7m made by openssl: both layers' signers are reported, the content is the innermost", () => {
      const inner = opensslSign(pki.identities.person);
      const result = verifyCades(opensslSign(pki.identities.seal, [], inner), { trust: trust() });
      expect(result).toMatchObject({ valid: true, reasons: [] });
      expect(Buffer.from(result.content ?? [])).toEqual(CONTENT);
      expect(result.signers.map((s) => [s.layer, s.fiscalCode ?? s.organizationIdentifier])).toEqual([
        [0, "PA:IT-c_h501"],
        [1, "RSSMRA80A01H501U"],
      ]);
    });

    it("we add a parallel signature to openssl's .p7m and openssl verifies both", async () => {
      const theirs = opensslSign(pki.identities.rsa);
      const both = await addCadesSignature(theirs, signerOf(pki.identities.person));
      expect(opensslVerify(both)).toEqual(CONTENT);
      expect(verifyCades(both, { trust: trust() })).toMatchObject({ valid: true, reasons: [] });
    });
  });

  describe("broken signatures fail with the right reason", () => {
    it("tampered content: CONTENT_ALTERED (and openssl refuses it too)", () => {
      const p7m = opensslSign(pki.identities.rsa);
      const at = p7m.indexOf(Buffer.from("Relazione"));
      p7m[at] = (p7m[at] ?? 0) ^ 0x01;
      expect(codes(p7m)).toEqual(["CONTENT_ALTERED"]);
      pki.writeFile("tampered.p7m", p7m);
      expect(pki.tryOpenssl(cadesVerifyArgs("tampered.p7m", pki.root.certPath)).status).not.toBe(0);
    });

    it("signed attributes out of DER order, validly signed: ATTRIBUTES_NOT_DER_SORTED only", () => {
      const identity = pki.identities.rsa;
      const reordered = resignAttributes(opensslSign(identity), 0, identity.key, (attributes) =>
        [...attributes].reverse(),
      );
      const result = verifyCades(reordered, { trust: trust() });
      expect(result.reasons.map((r) => r.code)).toEqual(["ATTRIBUTES_NOT_DER_SORTED"]);
      expect(result.signers[0]?.checks).toMatchObject({ signature: true, messageDigest: true, attributeOrder: false });
    });

    it("an ESSCertIDv2 naming another certificate: SIGNING_CERTIFICATE_MISMATCH (and openssl -cades refuses it)", () => {
      const identity = pki.identities.rsa;
      const certHash = createHash("sha256").update(identity.certificate).digest();
      const wrong = resignAttributes(opensslSign(identity), 0, identity.key, (attributes) =>
        attributes.map((attribute) => {
          const at = Buffer.from(attribute).indexOf(certHash);
          if (at >= 0) attribute[at + 5] = (attribute[at + 5] ?? 0) ^ 0xff;
          return attribute;
        }),
      );
      const result = verifyCades(wrong, { trust: trust() });
      expect(result.reasons.map((r) => r.code)).toEqual(["SIGNING_CERTIFICATE_MISMATCH"]);
      expect(result.signers[0]?.checks).toMatchObject({ signature: true, signingCertificateV2: false });
      pki.writeFile("wrong-ref.p7m", wrong);
      expect(pki.tryOpenssl(cadesVerifyArgs("wrong-ref.p7m", pki.root.certPath)).status).not.toBe(0);
    });

    it("a certificate expired at the signing time: CERTIFICATE_EXPIRED_AT_SIGNING_TIME", () => {
      expect(codes(opensslSign(pki.identities.expired))).toEqual(["CERTIFICATE_EXPIRED_AT_SIGNING_TIME"]);
    });

    it("a signer from an untrusted CA: CHAIN_UNTRUSTED", () => {
      expect(codes(opensslSign(pki.identities.untrusted))).toEqual(["CHAIN_UNTRUSTED"]);
    });

    it("SHA-1 (openssl -md sha1): WEAK_DIGEST_SHA1", () => {
      const sha1 = opensslSign(pki.identities.rsa, ["-md", "sha1"]);
      expect(codes(sha1)).toContain("WEAK_DIGEST_SHA1");
      expect(verifyCades(sha1, { trust: trust() }).signers[0]?.digestAlgorithm).toBe("sha1");
    });
  });
});
