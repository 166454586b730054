/**
 * CAdES/PAdES signing and verification, key stores, certificates and timestamps
 * (issue 5). Other modules import this module only through this file.
 */

// keys, certificates, timestamps
export {
  assertCertificateUsable,
  type CertificateCheckOptions,
  type CertificateFinding,
  type CertificateFindingCode,
  type CertificateRole,
  checkCertificate,
} from "./certificates/certificate-checks.js";
export { type CertificateInfo, parseCertificateInfo } from "./certificates/certificate-info.js";
export {
  allDevCertificatePaths,
  type DevCertificateFiles,
  type DevCertificatePaths,
  ensureDevCertificates,
  writeDevCertificates,
} from "./certificates/dev-certificate-files.js";
export {
  DEV_CERTIFICATE_ROLES,
  type DevCertificate,
  type DevCertificateOptions,
  type DevCertificateRole,
  type DevCertificateSet,
  generateDevCertificates,
} from "./certificates/dev-certificates.js";
export { type Pkcs12Contents, type Pkcs12Input, readPkcs12, writePkcs12 } from "./certificates/pkcs12.js";
export { Pkcs12Signer } from "./keystore/pkcs12-signer.js";
export { RemoteHashSigner, type RemoteHashSignerConfig } from "./keystore/remote-hash-signer.js";
export { type HttpCredentials, Secret } from "./keystore/secret.js";
export type { TimestampToken } from "./timestamp/timestamp-protocol.js";
export { createTsaClient, type TimestampClient, type TsaClientConfig } from "./timestamp/tsa-client.js";
// end keys, certificates, timestamps

// CAdES, PAdES, trusted lists, verification and the configured service
export {
  addCadesSignature,
  addSignatureTimestamp,
  CADES_REASON_CODES,
  type CadesReason,
  type CadesSigner,
  type CadesVerification,
  parsePemBundle,
  signCades,
  signCadesChunked,
  verifyCades,
} from "./cades/index.js";
export { signerStatusApi } from "./http/signer-status-api.js";
export { type PdfSignature, parsePdfSignatures, signPades } from "./pades/index.js";
export { createSignatureService, type SignatureService } from "./signature-service.js";
export {
  devCertificatesDirectory,
  type SignatureSetup,
  type SignatureSetupOptions,
  type SignerSource,
  setUpSignature,
} from "./signature-setup.js";
export type { DigestAlgorithm, KeyAlgorithm, Signer } from "./signer.js";
export { loadTrustedListFromFile, loadTrustedListFromUrl, type TrustedList } from "./trusted-list/index.js";
export {
  looksLikePdf,
  PDF_REASON_CODES,
  padesSignsPrefix,
  type Verification,
  type VerificationReason,
  type VerifyOptions,
  verifySignature,
} from "./verify-signature.js";
