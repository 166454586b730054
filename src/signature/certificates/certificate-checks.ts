import { AppError } from "../../shared/errors.js";
import { OID } from "../oids.js";
import type { KeyUsageFlag } from "./certificate-builder.js";
import type { CertificateInfo } from "./certificate-info.js";

/**
 * Load-time checks of a configured certificate: validity window, key usage fit for its role,
 * and "expires within 30 days". Pure: takes `now`, returns findings; the caller logs warnings
 * and shows them on the staff dashboard, and refuses to start on errors.
 */

export type CertificateRole = "ca" | "seal" | "signature" | "pecProvider" | "samlSp" | "tsa";

export type CertificateFindingCode =
  | "notYetValid"
  | "expired"
  | "expiresSoon"
  | "keyUsage"
  | "extendedKeyUsage"
  /** A seal made out to another organisation than the entity it signs for. */
  | "otherEntity";

export interface CertificateFinding {
  severity: "error" | "warning";
  code: CertificateFindingCode;
  message: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
}

export interface CertificateCheckOptions {
  role: CertificateRole;
  now: Date;
  /** Warn this many days before notAfter (default 30). */
  warnWithinDays?: number;
}

const DAY_MS = 86_400_000;

/**
 * Key usages acceptable per role: any one of them suffices (RFC 5280 §4.2.1.3). Signers of CMS
 * content (seal, personal signature, PEC receipts, TSA) need digitalSignature or
 * nonRepudiation — Italian qualified certificates carry nonRepudiation alone.
 */
const ROLE_KEY_USAGE: Record<CertificateRole, readonly KeyUsageFlag[]> = {
  ca: ["keyCertSign"],
  seal: ["nonRepudiation", "digitalSignature"],
  signature: ["nonRepudiation", "digitalSignature"],
  pecProvider: ["digitalSignature", "nonRepudiation"],
  samlSp: ["digitalSignature"],
  tsa: ["digitalSignature", "nonRepudiation"],
};

export function checkCertificate(info: CertificateInfo, options: CertificateCheckOptions): CertificateFinding[] {
  const daysLeft = Math.floor((info.notAfter.getTime() - options.now.getTime()) / DAY_MS);
  const finding = (severity: CertificateFinding["severity"], code: CertificateFindingCode, message: string) => ({
    severity,
    code,
    message,
    daysLeft,
  });
  const findings: CertificateFinding[] = [];
  const name = `${options.role} certificate ${info.subject} (serial ${info.serialNumber})`;
  if (options.now < info.notBefore) {
    findings.push(finding("error", "notYetValid", `${name} is valid only from ${info.notBefore.toISOString()}`));
  } else if (options.now > info.notAfter) {
    findings.push(finding("error", "expired", `${name} expired on ${info.notAfter.toISOString()}`));
  } else if (daysLeft < (options.warnWithinDays ?? 30)) {
    findings.push(
      finding("warning", "expiresSoon", `${name} expires on ${info.notAfter.toISOString()} (${daysLeft} days left)`),
    );
  }
  const accepted = ROLE_KEY_USAGE[options.role];
  const keyUsageMissing =
    options.role === "ca" ? !info.isCa || !info.keyUsage?.includes("keyCertSign") : !keyUsageFits(info, accepted);
  if (keyUsageMissing) {
    findings.push(finding("error", "keyUsage", `${name} lacks keyUsage ${accepted.join(" or ")} for this role`));
  }
  const ekuProblem = extendedKeyUsageProblem(info, options.role);
  if (ekuProblem) findings.push(finding("error", "extendedKeyUsage", `${name} ${ekuProblem}`));
  return findings;
}

function keyUsageFits(info: CertificateInfo, accepted: readonly KeyUsageFlag[]): boolean {
  return info.keyUsage === undefined || accepted.some((usage) => info.keyUsage?.includes(usage));
}

function extendedKeyUsageProblem(info: CertificateInfo, role: CertificateRole): string | undefined {
  const eku = info.extendedKeyUsage;
  if (role === "tsa") {
    // RFC 3161 §2.3: exactly one extended key usage, id-kp-timeStamping, and critical.
    const exact = eku?.length === 1 && eku[0] === OID.timeStamping && info.extendedKeyUsageCritical;
    return exact ? undefined : "must have a critical extKeyUsage holding only timeStamping (RFC 3161 §2.3)";
  }
  if (eku?.length === 1 && eku[0] === OID.timeStamping && role !== "ca") {
    return "is a timestamping certificate (extKeyUsage timeStamping only)";
  }
  return undefined;
}

/** The findings, or AppError CERTIFICATE_UNUSABLE listing the errors when there is any. */
export function assertCertificateUsable(info: CertificateInfo, options: CertificateCheckOptions): CertificateFinding[] {
  const findings = checkCertificate(info, options);
  const errors = findings.filter((finding) => finding.severity === "error");
  if (errors.length > 0) {
    throw new AppError("CERTIFICATE_UNUSABLE", errors.map((error) => error.message).join("; "), {
      errors: errors.map((error) => ({ path: `/${options.role}`, message: error.message })),
    });
  }
  return findings;
}
