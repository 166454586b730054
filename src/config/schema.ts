import { z } from "zod";

/**
 * Environment parsing is built from small fragments, one per concern, and
 * merged into one schema. Every key has a default except secrets and
 * production-only endpoints; `.env.example` lists them all.
 */

const booleanFlag = z
  .enum(["0", "1", "true", "false", "yes", "no", "on", "off"], {
    message: "expected one of 0, 1, true, false, yes, no, on, off",
  })
  .transform((value) => ["1", "true", "yes", "on"].includes(value));

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const serverFragment = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  FACCIA_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  FACCIA_TRUST_PROXY: booleanFlag.default(false),
  FACCIA_SHUTDOWN_TIMEOUT_SECONDS: positiveInt.default(10),
});

const databaseFragment = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: positiveInt.max(200).default(10),
  FACCIA_DATA_DIR: z.string().min(1).default("./data"),
});

const loggingFragment = z.object({
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
});

const kioskFragment = z.object({
  FACCIA_KIOSK_RATE_LIMIT: positiveInt.default(60),
  FACCIA_PAIRING_RATE_LIMIT: positiveInt.default(10),
  FACCIA_DEMO: booleanFlag.default(true),
});

const reportFragment = z.object({
  /** Make the monthly draft reports in this process (every replica may: they coordinate through Postgres). */
  FACCIA_REPORT_SCHEDULER: booleanFlag.default(true),
});

const optionalPath = z.string().min(1).optional();

/**
 * Who signs the reports (issue 5). `p12`: a PKCS#12 seal on disk (non-qualified, or for tests);
 * `remote`: a trust service provider's sign-hash API (CSC `signatures/signHash`), which is how a
 * qualified signature or seal is made. Unset with the demo on: a development seal generated under
 * FACCIA_DATA_DIR/certs.
 */
const signatureFragment = z.object({
  FACCIA_SIGNER: z.enum(["p12", "remote", "none"]).optional(),
  FACCIA_P12_FILE: optionalPath,
  FACCIA_P12_PASSWORD: z.string().min(1).optional(),
  FACCIA_P12_PASSWORD_FILE: optionalPath,
  FACCIA_REMOTE_SIGNER_URL: z.url({ protocol: /^https?$/ }).optional(),
  FACCIA_REMOTE_SIGNER_CREDENTIAL_ID: z.string().min(1).optional(),
  FACCIA_REMOTE_SIGNER_USERNAME: z.string().min(1).optional(),
  FACCIA_REMOTE_SIGNER_PASSWORD: z.string().min(1).optional(),
  FACCIA_REMOTE_SIGNER_TOKEN: z.string().min(1).optional(),
  FACCIA_REMOTE_SIGNER_CERTIFICATES: optionalPath,
  /** RFC 3161 time-stamping authority: adds a signature timestamp (CAdES-T) when set. */
  FACCIA_TSA_URL: z.url({ protocol: /^https?$/ }).optional(),
  FACCIA_SIGNATURE_FORMAT: z.enum(["cades", "pades"]).default("cades"),
  /** Trust anchors for verifying signatures (PEM bundle), and the EU/Italian trusted list with its signer. */
  FACCIA_TRUST_PEM: optionalPath,
  FACCIA_TRUSTED_LIST: z.string().min(1).optional(),
  FACCIA_TRUSTED_LIST_SIGNER: optionalPath,
});

/**
 * PEC (issue 6). `sandbox`: the built-in sandbox provider runs in this process and the gateway
 * reads its Maildir directly (the embedded default with the demo on); `provider`: the comune's PEC
 * provider over SMTPS/IMAPS, logging in as each entity's box; `none`: nothing is sent or read.
 * The password may name a file per entity with `{ipa}` (one box per comune).
 */
const pecFragment = z.object({
  FACCIA_PEC: z.enum(["sandbox", "provider", "none"]).optional(),
  FACCIA_PEC_SMTP_HOST: z.string().min(1).optional(),
  FACCIA_PEC_SMTP_PORT: port.default(465),
  FACCIA_PEC_SMTP_SECURITY: z.enum(["tls", "starttls", "plain"]).default("tls"),
  FACCIA_PEC_IMAP_HOST: z.string().min(1).optional(),
  FACCIA_PEC_IMAP_PORT: port.default(993),
  FACCIA_PEC_IMAP_SECURITY: z.enum(["tls", "plain"]).default("tls"),
  FACCIA_PEC_PASSWORD: z.string().min(1).optional(),
  FACCIA_PEC_PASSWORD_FILE: optionalPath,
  /** The PEC providers' CA certificates (PEM), to verify the signatures of receipts. */
  FACCIA_PEC_TRUST_PEM: optionalPath,
  /** Size × recipients the provider accepts (RFC 6109 §3.1.1: at least 30 MB). */
  FACCIA_PEC_MAX_MESSAGE_BYTES: positiveInt.default(30 * 1024 * 1024),
  FACCIA_PEC_POLL_SECONDS: positiveInt.max(3600).default(60),
  /** Send and read PEC in this process (every replica may: they coordinate through Postgres). */
  FACCIA_PEC_WORKER: booleanFlag.default(true),
  FACCIA_SANDBOX_DOMAIN: z.string().min(1).default("pec.sandbox.test"),
  FACCIA_SANDBOX_PASSWORD: z.string().min(1).default("sandbox"),
  /** The in-process sandbox's SMTP port; 0 picks a free one. */
  FACCIA_SANDBOX_SMTP_PORT: port.default(0),
});

/**
 * Staff login (issue 7). The SAML SP is operated by one entity (`FACCIA_SAML_SP_ENTITY`, its IPA
 * code), whose name and SP profile fill the metadata. Key and certificate: PEM files as AgID
 * Avviso 29 v3 asks for; unset with the demo on, the development SP certificate under
 * FACCIA_DATA_DIR/certs. IdP lists: a file path or an http(s) URL each, refreshed daily.
 */
const identityFragment = z.object({
  FACCIA_SAML_SP_ENTITY: z.string().min(1).optional(),
  /** The SP entityID (default: the public base URL). */
  FACCIA_SAML_ENTITY_ID: z.url({ protocol: /^https?$/ }).optional(),
  FACCIA_SAML_KEY_FILE: optionalPath,
  FACCIA_SAML_CERT_FILE: optionalPath,
  /** AgID's registry of SPID IdPs (SAML metadata), e.g. https://registry.spid.gov.it/entities-idp?&output=xml */
  FACCIA_SPID_REGISTRY: z.string().min(1).optional(),
  /** PEM certificate that must have signed the SPID registry metadata. */
  FACCIA_SPID_REGISTRY_SIGNER: optionalPath,
  /** The CIE IdP's metadata, e.g. https://idserver.servizicie.interno.gov.it/idp/shibboleth?Metadata */
  FACCIA_CIE_METADATA: z.string().min(1).optional(),
  /** The development IdP at /dev-idp (default: on with the demo). Never in production. */
  FACCIA_DEV_IDP: booleanFlag.optional(),
  FACCIA_SESSION_IDLE_MINUTES: positiveInt.max(24 * 60).default(30),
  /** Login starts and ACS posts per minute per client address. */
  FACCIA_LOGIN_RATE_LIMIT: positiveInt.default(30),
  FACCIA_SESSION_MAX_HOURS: positiveInt.max(72).default(8),
});

export const ConfigSchema = serverFragment
  .extend(databaseFragment.shape)
  .extend(loggingFragment.shape)
  .extend(kioskFragment.shape)
  .extend(reportFragment.shape)
  .extend(signatureFragment.shape)
  .extend(pecFragment.shape)
  .extend(identityFragment.shape);

export type Config = z.infer<typeof ConfigSchema>;
