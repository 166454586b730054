import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildTslXml,
  ECDSA_SHA256,
  errorCodeOf,
  GRANTED,
  makeTestCertificate,
  sampleTslXml,
  signTslXml,
  type TestKeyPair,
  WITHDRAWN,
} from "../../../test/support/trusted-list-fixtures.js";
import type { TrustedListSignerPin } from "./model.js";
import { parseTrustedList } from "./parse-trusted-list.js";

let signer: TestKeyPair;
let intruder: TestKeyPair;
let grantedCa: TestKeyPair;
let withdrawnCa: TestKeyPair;
let signed: string;
let now: Date;

beforeAll(async () => {
  [signer, intruder, grantedCa, withdrawnCa] = await Promise.all([
    makeTestCertificate("TSL signer"),
    makeTestCertificate("Someone else"),
    makeTestCertificate("Granted CA", "ec"),
    makeTestCertificate("Withdrawn CA", "ec"),
  ]);
  now = signer.validAt;
  signed = signTslXml(sampleTslXml(grantedCa.certDer, withdrawnCa.certDer, now), signer);
});

const pinOf = (pair: TestKeyPair): TrustedListSignerPin => ({ kind: "certificate", certificate: pair.certDer });
const parse = (xml: string | Uint8Array, pins: TrustedListSignerPin[] = [pinOf(signer)], at = now) =>
  parseTrustedList(xml, { expectedSigners: pins, now: at });

describe("parseTrustedList: happy paths", () => {
  it("returns the granted CA/QC certificates as trust anchors, and the list's identity", () => {
    const list = parse(signed);
    expect(list.schemeTerritory).toBe("IT");
    expect(list.versionIdentifier).toBe(5);
    expect(list.sequenceNumber).toBe(42);
    expect(list.listIssueDateTime.getTime()).toBe(now.getTime() - 86_400_000);
    expect(list.nextUpdate?.getTime()).toBe(now.getTime() + 180 * 86_400_000);
    expect(list.trustAnchors.map((der) => Buffer.from(der))).toEqual([Buffer.from(grantedCa.certDer)]);
    expect(list.qualifiedCaServices.map((s) => [s.providerName, s.serviceName, s.status])).toEqual([
      ["Granted QTSP", "Granted CA", GRANTED],
      ["Former QTSP", "Withdrawn CA", WITHDRAWN],
    ]);
    expect(list.signer.sha256).toBe(createHash("sha256").update(signer.certDer).digest("hex"));
    expect(list.warnings).toEqual([]);
  });

  it("accepts a signer pinned by its SHA-256 fingerprint, written with colons in upper case", () => {
    const hex = createHash("sha256").update(signer.certDer).digest("hex").toUpperCase();
    const fingerprint = hex.match(/../g)?.join(":") ?? "";
    expect(parse(signed, [{ kind: "sha256", fingerprint }]).trustAnchors).toHaveLength(1);
  });

  it("reads a list written with a default namespace instead of the tsl: prefix", () => {
    const xml = sampleTslXml(grantedCa.certDer, withdrawnCa.certDer, now)
      .replaceAll("tsl:", "")
      .replace("xmlns:tsl=", "xmlns=");
    expect(xml).not.toContain("tsl:");
    expect(parse(signTslXml(xml, signer)).trustAnchors).toHaveLength(1);
  });

  it("accepts a PEM pin, and bytes with a UTF-8 byte order mark", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(signed)]);
    expect(parse(bytes, [{ kind: "certificate", certificate: signer.certPem }]).schemeTerritory).toBe("IT");
  });

  it("verifies an ECDSA-signed list with a XAdES SignedProperties reference, as real TLs are", async () => {
    const ecSigner = await makeTestCertificate("EC TSL signer", "ec");
    const xml = signTslXml(sampleTslXml(grantedCa.certDer, withdrawnCa.certDer, now), ecSigner, {
      signatureAlgorithm: ECDSA_SHA256,
      xades: true,
    });
    expect(parse(xml, [pinOf(ecSigner)], ecSigner.validAt).trustAnchors).toHaveLength(1);
  });

  it("warns when NextUpdate has passed, and when the list is closed", () => {
    const later = new Date(now.getTime() + 365 * 86_400_000);
    expect(parse(signed, undefined, later).warnings.map((w) => w.code)).toContain("TRUSTED_LIST_NEXT_UPDATE_PASSED");
    const closed = signTslXml(buildTslXml({ territory: "IT", issued: now, nextUpdate: null, providers: [] }), signer);
    const list = parse(closed);
    expect(list.nextUpdate).toBeUndefined();
    expect(list.warnings.map((w) => w.code)).toEqual(["TRUSTED_LIST_CLOSED"]);
  });

  it("warns when the signer certificate is not valid now", () => {
    const codes = parse(signed, undefined, new Date("2200-01-01T00:00:00Z")).warnings.map((w) => w.code);
    expect(codes).toContain("TRUSTED_LIST_SIGNER_CERTIFICATE_NOT_VALID_NOW");
  });
});

describe("parseTrustedList: refusals", () => {
  it.each([
    ["no expected signer", [] as TrustedListSignerPin[]],
    ["a fingerprint that is not SHA-256", [{ kind: "sha256", fingerprint: "abcd" }] as TrustedListSignerPin[]],
    ["an unreadable pinned certificate", [{ kind: "certificate", certificate: "not a PEM" }] as TrustedListSignerPin[]],
  ])("refuses to verify with %s configured", (_, pins) => {
    expect(errorCodeOf(() => parse(signed, pins))).toBe("TRUSTED_LIST_SIGNER_NOT_CONFIGURED");
  });

  it("refuses an unsigned list", () => {
    expect(errorCodeOf(() => parse(sampleTslXml(grantedCa.certDer, withdrawnCa.certDer, now)))).toBe(
      "TRUSTED_LIST_SIGNATURE_MISSING",
    );
  });

  it("refuses a list altered after signing (a withdrawn CA turned granted)", () => {
    const tampered = signed.replace(WITHDRAWN, GRANTED);
    expect(tampered).not.toBe(signed);
    expect(errorCodeOf(() => parse(tampered))).toBe("TRUSTED_LIST_SIGNATURE_INVALID");
  });

  it("refuses a list signed by someone other than the expected signer", () => {
    const forged = signTslXml(sampleTslXml(grantedCa.certDer, withdrawnCa.certDer, now), intruder);
    expect(errorCodeOf(() => parse(forged))).toBe("TRUSTED_LIST_SIGNER_UNTRUSTED");
  });

  it("refuses a list signed by another key that carries the expected certificate in KeyInfo", () => {
    const forged = signTslXml(sampleTslXml(grantedCa.certDer, withdrawnCa.certDer, now), intruder);
    const swapped = forged.replace(b64(intruder.certDer), b64(signer.certDer));
    expect(errorCodeOf(() => parse(swapped))).toBe("TRUSTED_LIST_SIGNATURE_INVALID");
  });

  it("refuses SHA-1 signatures and digests", () => {
    const xml = sampleTslXml(grantedCa.certDer, withdrawnCa.certDer, now);
    const sha1Digest = signTslXml(xml, signer, { digestAlgorithm: "http://www.w3.org/2000/09/xmldsig#sha1" });
    const sha1Signature = signTslXml(xml, signer, { signatureAlgorithm: "http://www.w3.org/2000/09/xmldsig#rsa-sha1" });
    expect(errorCodeOf(() => parse(sha1Digest))).toBe("TRUSTED_LIST_SIGNATURE_ALGORITHM_UNSUPPORTED");
    expect(errorCodeOf(() => parse(sha1Signature))).toBe("TRUSTED_LIST_SIGNATURE_ALGORITHM_UNSUPPORTED");
  });

  it.each([
    ["not XML", "hello"],
    ["truncated XML", "<tsl:TrustServiceStatusList xmlns:tsl='http://uri.etsi.org/02231/v2#'>"],
    ["a DTD (external entity)", '<!DOCTYPE x SYSTEM "file:///etc/passwd"><x>&ext;</x>'],
    ["a DTD (entity expansion)", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;&a;</x>'],
    ["another document element", "<TrustServiceStatusList/>"],
  ])("refuses %s as malformed", (_, xml) => {
    expect(errorCodeOf(() => parse(xml))).toBe("TRUSTED_LIST_MALFORMED");
  });

  it("refuses bytes that are not UTF-8, and lists over the size limit", () => {
    expect(errorCodeOf(() => parse(new Uint8Array([0x3c, 0xff, 0xfe, 0x3e])))).toBe("TRUSTED_LIST_MALFORMED");
    const small = () => parseTrustedList(signed, { expectedSigners: [pinOf(signer)], now, maxBytes: 100 });
    expect(errorCodeOf(small)).toBe("TRUSTED_LIST_TOO_LARGE");
  });
});

const b64 = (der: Uint8Array) => Buffer.from(der).toString("base64");
