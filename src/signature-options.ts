import { readFileSync } from "node:fs";
import { type Config, ConfigError } from "./config/index.js";
import { DEMO_ENTITY } from "./demo/index.js";
import type { ReportSignaturePort } from "./reports/index.js";
import type { Clock } from "./shared/clock.js";
import {
  devCertificatesDirectory,
  padesSignsPrefix,
  Secret,
  type SignatureService,
  type SignatureSetupOptions,
  type SignerSource,
} from "./signature/index.js";

/**
 * From configuration to the signature module's setup (issue 5): which signer, the TSA, and the
 * trust anchors. Secrets are read here, once, and wrapped so they never reach a log.
 */
export function signatureSetupOptions(config: Config, clock: Clock): SignatureSetupOptions {
  return {
    signer: signerSource(config),
    clock,
    ...(config.FACCIA_TSA_URL ? { tsaUrl: config.FACCIA_TSA_URL } : {}),
    ...(config.FACCIA_TRUST_PEM ? { trustPemFile: config.FACCIA_TRUST_PEM } : {}),
    ...(config.FACCIA_TRUSTED_LIST
      ? {
          trustedList: {
            source: config.FACCIA_TRUSTED_LIST,
            signerPemFile: required(config, "FACCIA_TRUSTED_LIST_SIGNER"),
          },
        }
      : {}),
  };
}

function signerSource(config: Config): SignerSource {
  const kind = config.FACCIA_SIGNER ?? (config.FACCIA_DEMO ? "dev" : "none");
  switch (kind) {
    case "none":
      return { kind: "none" };
    case "dev":
      return {
        kind: "dev",
        dir: devCertificatesDirectory(config.FACCIA_DATA_DIR),
        ipa: DEMO_ENTITY.ipaCode,
        entityName: DEMO_ENTITY.name,
      };
    case "p12":
      return { kind: "p12", file: required(config, "FACCIA_P12_FILE"), password: p12Password(config) };
    case "remote":
      return { kind: "remote", config: remoteSigner(config) };
  }
}

function p12Password(config: Config): string {
  if (config.FACCIA_P12_PASSWORD) return config.FACCIA_P12_PASSWORD;
  const file = required(config, "FACCIA_P12_PASSWORD_FILE");
  return readFileSync(file, "utf8").replace(/\r?\n$/, "");
}

function remoteSigner(config: Config) {
  const token = config.FACCIA_REMOTE_SIGNER_TOKEN;
  const credentials = token
    ? { kind: "bearer" as const, token: new Secret(token) }
    : {
        kind: "basic" as const,
        username: required(config, "FACCIA_REMOTE_SIGNER_USERNAME"),
        password: new Secret(required(config, "FACCIA_REMOTE_SIGNER_PASSWORD")),
      };
  return {
    signHashUrl: required(config, "FACCIA_REMOTE_SIGNER_URL"),
    credentialId: required(config, "FACCIA_REMOTE_SIGNER_CREDENTIAL_ID"),
    credentials,
    certificates: { pem: readFileSync(required(config, "FACCIA_REMOTE_SIGNER_CERTIFICATES"), "utf8") },
  };
}

function required<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> & string {
  const value = config[key];
  if (typeof value !== "string" || value === "") {
    const needs =
      config.FACCIA_TRUSTED_LIST && key === "FACCIA_TRUSTED_LIST_SIGNER"
        ? "FACCIA_TRUSTED_LIST"
        : `FACCIA_SIGNER=${config.FACCIA_SIGNER}`;
    throw new ConfigError([`${key}: required with ${needs}`]);
  }
  return value as NonNullable<Config[K]> & string;
}

/** The reports module's view of the signature service. */
export function reportSignaturePort(service: SignatureService): ReportSignaturePort {
  return {
    signerSubject: async (ipaCode) => (await service.signerCertificate(ipaCode))?.subject ?? null,
    signCades: (ipaCode, content) => service.signCades(ipaCode, content),
    signPades: (ipaCode, pdf, details) => service.signPades(ipaCode, pdf, details),
    async verifyUpload(bytes) {
      const result = service.verify(bytes);
      return {
        valid: result.valid,
        kind: result.format,
        content: result.content,
        coversStored: (stored) => padesSignsPrefix(result, stored),
        signers: result.signers.map((s) => ({ subject: s.subject ?? "(no subject)", fiscalCode: s.fiscalCode })),
        reasons: result.reasons.map((r) => ({ code: r.code, message: r.message })),
      };
    },
  };
}
