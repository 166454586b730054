import { describe, expect, it } from "vitest";
import { OID } from "../oids.js";
import { assertCertificateUsable, type CertificateRole, checkCertificate } from "./certificate-checks.js";
import type { CertificateInfo } from "./certificate-info.js";

function info(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    subject: "CN=Comune di Demo, C=IT",
    issuer: "CN=Test CA",
    commonName: "Comune di Demo",
    organizationName: undefined,
    organizationIdentifier: "PA:IT-c_demo",
    fiscalCode: undefined,
    serialNumber: "01",
    notBefore: new Date("2026-01-01T00:00:00Z"),
    notAfter: new Date("2027-01-01T00:00:00Z"),
    keyUsage: ["nonRepudiation"],
    extendedKeyUsage: undefined,
    extendedKeyUsageCritical: false,
    isCa: false,
    sha256: "00",
    subjectAttributes: [],
    ...overrides,
  };
}

const MID = new Date("2026-06-01T00:00:00Z");
const codes = (findings: ReturnType<typeof checkCertificate>) => findings.map((f) => `${f.severity}:${f.code}`);

describe("checkCertificate: validity window", () => {
  it.each([
    ["before notBefore", "2025-12-31T23:59:59Z", ["error:notYetValid"]],
    ["well inside", "2026-06-01T00:00:00Z", []],
    ["31 days before notAfter", "2026-12-01T00:00:00Z", []],
    ["29 days before notAfter", "2026-12-03T00:00:00Z", ["warning:expiresSoon"]],
    ["on the last second", "2027-01-01T00:00:00Z", ["warning:expiresSoon"]],
    ["after notAfter", "2027-01-01T00:00:01Z", ["error:expired"]],
  ])("%s → %j", (_, now, expected) => {
    expect(codes(checkCertificate(info(), { role: "seal", now: new Date(now) }))).toEqual(expected);
  });

  it("tells how many days are left in the warning", () => {
    const [warning] = checkCertificate(info(), { role: "seal", now: new Date("2026-12-22T00:00:00Z") });
    expect(warning).toMatchObject({ code: "expiresSoon", daysLeft: 10 });
    expect(warning?.message).toContain("2027-01-01T00:00:00.000Z");
  });

  it("honours a custom warning horizon", () => {
    const findings = checkCertificate(info(), { role: "seal", now: MID, warnWithinDays: 365 });
    expect(codes(findings)).toEqual(["warning:expiresSoon"]);
  });
});

describe("checkCertificate: key usage per role", () => {
  it.each<[CertificateRole, Partial<CertificateInfo>, string[]]>([
    ["seal", { keyUsage: ["nonRepudiation"] }, []],
    ["seal", { keyUsage: ["digitalSignature"] }, []],
    ["seal", { keyUsage: ["keyEncipherment"] }, ["error:keyUsage"]],
    ["seal", { keyUsage: undefined }, []],
    ["signature", { keyUsage: ["keyAgreement"] }, ["error:keyUsage"]],
    ["samlSp", { keyUsage: ["digitalSignature", "keyEncipherment"] }, []],
    ["samlSp", { keyUsage: ["nonRepudiation"] }, ["error:keyUsage"]],
    ["ca", { isCa: true, keyUsage: ["keyCertSign", "cRLSign"] }, []],
    ["ca", { isCa: false, keyUsage: ["keyCertSign"] }, ["error:keyUsage"]],
    [
      "tsa",
      { keyUsage: ["digitalSignature"], extendedKeyUsage: [OID.timeStamping], extendedKeyUsageCritical: true },
      [],
    ],
    [
      "tsa",
      { keyUsage: ["digitalSignature"], extendedKeyUsage: [OID.timeStamping], extendedKeyUsageCritical: false },
      ["error:extendedKeyUsage"],
    ],
    [
      "tsa",
      {
        keyUsage: ["digitalSignature"],
        extendedKeyUsage: [OID.timeStamping, OID.emailProtection],
        extendedKeyUsageCritical: true,
      },
      ["error:extendedKeyUsage"],
    ],
    ["seal", { extendedKeyUsage: [OID.timeStamping], extendedKeyUsageCritical: true }, ["error:extendedKeyUsage"]],
  ])("%s with %j → %j", (role, overrides, expected) => {
    expect(codes(checkCertificate(info(overrides), { role, now: MID }))).toEqual(expected);
  });
});

describe("assertCertificateUsable", () => {
  it("returns the warnings when nothing is wrong", () => {
    const findings = assertCertificateUsable(info(), { role: "seal", now: new Date("2026-12-20T00:00:00Z") });
    expect(codes(findings)).toEqual(["warning:expiresSoon"]);
  });

  it("throws CERTIFICATE_UNUSABLE listing every error", () => {
    const attempt = () =>
      assertCertificateUsable(info({ keyUsage: ["keyEncipherment"] }), {
        role: "seal",
        now: new Date("2028-01-01T00:00:00Z"),
      });
    expect(attempt).toThrow(expect.objectContaining({ code: "CERTIFICATE_UNUSABLE" }));
    expect(attempt).toThrow(/expired.*lacks keyUsage/);
  });
});
