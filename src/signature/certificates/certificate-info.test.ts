import { createHash, generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { selfSignedCertificate } from "../../../test/support/test-identities.js";
import { OID } from "../oids.js";
import type { CertificateTemplate } from "./certificate-builder.js";
import { parseCertificateInfo } from "./certificate-info.js";
import { formatDistinguishedName } from "./distinguished-name.js";

const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
const issuerName = [
  { type: OID.countryName, value: "IT" },
  { type: OID.organizationName, value: "Test CA, S.p.A." },
  { type: OID.commonName, value: "Test CA" },
];

const certificate = (overrides: Partial<CertificateTemplate>): Uint8Array =>
  selfSignedCertificate(pair, { serialNumber: Uint8Array.of(0x00, 0x7f, 0x01), issuer: issuerName, ...overrides });

describe("parseCertificateInfo", () => {
  it("reads an entity seal: organizationIdentifier, names, serial, validity, key usage", () => {
    const der = certificate({
      subject: [
        { type: OID.countryName, value: "IT" },
        { type: OID.organizationName, value: "Comune di Demo" },
        { type: OID.organizationIdentifier, value: "PA:IT-c_demo" },
        { type: OID.commonName, value: "Comune di Demo" },
      ],
      keyUsage: ["digitalSignature", "nonRepudiation"],
    });
    expect(parseCertificateInfo(der)).toMatchObject({
      subject: "CN=Comune di Demo, organizationIdentifier=PA:IT-c_demo, O=Comune di Demo, C=IT",
      issuer: "CN=Test CA, O=Test CA\\, S.p.A., C=IT",
      commonName: "Comune di Demo",
      organizationName: "Comune di Demo",
      organizationIdentifier: "PA:IT-c_demo",
      fiscalCode: undefined,
      serialNumber: "7f01",
      notBefore: new Date("2026-01-01T00:00:00Z"),
      notAfter: new Date("2027-01-01T00:00:00Z"),
      keyUsage: ["digitalSignature", "nonRepudiation"],
      extendedKeyUsage: undefined,
      isCa: false,
      sha256: createHash("sha256").update(der).digest("hex"),
    });
  });

  it.each([
    ["TINIT-RSSMRA80A01H501U", "RSSMRA80A01H501U"],
    ["IT:RSSMRA80A01H501U", "RSSMRA80A01H501U"],
    ["TINIT-RSSMRA80A01H50MU", "RSSMRA80A01H50MU"],
    ["TINIT-12345678901", undefined],
    ["VATIT-01234567890", undefined],
  ])("takes the fiscal code from subject serialNumber %s (ETSI EN 319 412-1 §5.1.3)", (serial, fiscalCode) => {
    const der = certificate({
      subject: [
        { type: OID.countryName, value: "IT" },
        { type: OID.serialNumber, value: serial },
        { type: OID.commonName, value: "Rossi Mario" },
      ],
    });
    expect(parseCertificateInfo(der).fiscalCode).toBe(fiscalCode);
  });

  it("reads a TSA's critical extKeyUsage and a CA's basicConstraints", () => {
    const tsa = parseCertificateInfo(
      certificate({
        extendedKeyUsage: { purposes: [OID.timeStamping], critical: true },
        keyUsage: ["digitalSignature"],
      }),
    );
    expect(tsa).toMatchObject({ extendedKeyUsage: [OID.timeStamping], extendedKeyUsageCritical: true });
    const ca = parseCertificateInfo(certificate({ ca: true, keyUsage: ["keyCertSign", "cRLSign"] }));
    expect(ca).toMatchObject({ isCa: true, keyUsage: ["keyCertSign", "cRLSign"] });
  });

  it("answers CERTIFICATE_MALFORMED for anything else, never another error (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          parseCertificateInfo(bytes);
          return false;
        } catch (error) {
          return (error as { code?: string }).code === "CERTIFICATE_MALFORMED";
        }
      }),
    );
  });
});

describe("formatDistinguishedName", () => {
  it.each([
    ["rfc4514", "CN=Test CA, O=Test CA\\, S.p.A., C=IT"],
    ["certificate", "C=IT, O=Test CA\\, S.p.A., CN=Test CA"],
  ] as const)("writes the %s order, escaping special characters (RFC 4514 §2.4)", (order, expected) => {
    expect(formatDistinguishedName(issuerName, order)).toBe(expected);
  });
});
