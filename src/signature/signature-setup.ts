import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { parsePemBundle } from "./cades/index.js";
import { type CertificateFinding, checkCertificate } from "./certificates/certificate-checks.js";
import { type CertificateInfo, parseCertificateInfo } from "./certificates/certificate-info.js";
import { ensureDevCertificates } from "./certificates/dev-certificate-files.js";
import { fileExists } from "./file-exists.js";
import { Pkcs12Signer } from "./keystore/pkcs12-signer.js";
import { RemoteHashSigner, type RemoteHashSignerConfig } from "./keystore/remote-hash-signer.js";
import { createSignatureService, type SignatureService } from "./signature-service.js";
import type { Signer } from "./signer.js";
import { createTsaClient } from "./timestamp/tsa-client.js";
import { loadTrustedListFromFile, loadTrustedListFromUrl } from "./trusted-list/index.js";

/**
 * Where the signing key lives (issue 5 "Signer interface"). `{ipa}` in the PKCS#12 path or the
 * remote credential id makes it one key per entity (an unione di comuni signs each comune's
 * report with that comune's seal); the key is then opened the first time that entity signs.
 */
export type SignerSource =
  | { kind: "none" }
  | { kind: "p12"; file: string; password: string }
  | { kind: "remote"; config: RemoteHashSignerConfig }
  /** The embedded default: a development seal for the demo comune, made once under `dir`. */
  | { kind: "dev"; dir: string; ipa: string; entityName: string };

export interface SignatureSetupOptions {
  signer: SignerSource;
  tsaUrl?: string;
  /** A PEM bundle of trust anchors. */
  trustPemFile?: string;
  /** The EU/Italian trusted list (file or http(s) URL) and the PEM certificate of its signer. */
  trustedList?: { source: string; signerPemFile: string };
  clock: Clock;
}

export interface SignatureSetup {
  service: SignatureService;
  /** Whether each entity has its own key (`{ipa}` in the source). */
  perEntity: boolean;
  /** The shared signer's certificate and what its checks found at start; null when per entity or none. */
  signerCertificate: CertificateInfo | null;
  findings: CertificateFinding[];
  /** How many trust anchors verification uses, and where they came from. */
  trust: { anchors: number; sources: string[] };
}

export async function setUpSignature(options: SignatureSetupOptions): Promise<SignatureSetup> {
  const trust: Uint8Array[] = [];
  const sources: string[] = [];
  const perEntity = isPerEntity(options.signer);
  const { signer, devCa } = perEntity ? { signer: null } : await openSigner(options.signer, options.clock);
  if (devCa) {
    trust.push(devCa);
    sources.push("development CA");
  }
  if (options.trustPemFile) {
    trust.push(...parsePemBundle(await readFile(options.trustPemFile, "utf8")));
    sources.push(options.trustPemFile);
  }
  if (options.trustedList) {
    const anchors = await trustedListAnchors(options.trustedList, options.clock.now());
    trust.push(...anchors);
    sources.push(options.trustedList.source);
  }
  const leaf = signer?.certificateChain[0];
  const signerCertificate = leaf ? parseCertificateInfo(leaf) : null;
  const findings = signerCertificate
    ? checkCertificate(signerCertificate, { role: "seal", now: options.clock.now() })
    : [];
  const timestamps = options.tsaUrl ? createTsaClient({ url: options.tsaUrl }) : null;
  return {
    service: createSignatureService({
      signerFor: perEntity ? entitySigners(options.signer, options.clock) : async () => signer,
      timestamps,
      trust,
      clock: options.clock,
    }),
    perEntity,
    signerCertificate,
    findings,
    trust: { anchors: trust.length, sources },
  };
}

const IPA_PLACEHOLDER = "{ipa}";

function isPerEntity(source: SignerSource): boolean {
  if (source.kind === "p12") return source.file.includes(IPA_PLACEHOLDER);
  if (source.kind === "remote") return source.config.credentialId.includes(IPA_PLACEHOLDER);
  return false;
}

/** Opens each entity's key once, on first use; an entity without its PKCS#12 file has no signer. */
function entitySigners(source: SignerSource, clock: Clock): (ipaCode: string) => Promise<Signer | null> {
  const opened = new Map<string, Promise<Signer | null>>();
  return (ipaCode) => {
    let signer = opened.get(ipaCode);
    if (!signer) {
      signer = openEntitySigner(source, ipaCode, clock);
      // A failure (wrong password, provider down) is not cached: the next attempt tries again.
      signer.catch(() => opened.delete(ipaCode));
      opened.set(ipaCode, signer);
    }
    return signer;
  };
}

async function openEntitySigner(source: SignerSource, ipaCode: string, clock: Clock): Promise<Signer | null> {
  if (source.kind === "p12") {
    const file = source.file.replaceAll(IPA_PLACEHOLDER, ipaCode);
    if (!(await fileExists(file))) return null;
    return (await openSigner({ ...source, file }, clock)).signer;
  }
  if (source.kind === "remote") {
    const credentialId = source.config.credentialId.replaceAll(IPA_PLACEHOLDER, ipaCode);
    return (await openSigner({ ...source, config: { ...source.config, credentialId } }, clock)).signer;
  }
  return (await openSigner(source, clock)).signer;
}

async function openSigner(source: SignerSource, clock: Clock): Promise<{ signer: Signer | null; devCa?: Uint8Array }> {
  switch (source.kind) {
    case "none":
      return { signer: null };
    case "p12":
      return { signer: Pkcs12Signer.fromPkcs12(await readFile(source.file), source.password) };
    case "remote":
      return { signer: await RemoteHashSigner.connect(source.config) };
    case "dev": {
      const { paths } = await ensureDevCertificates(source.dir, {
        ipa: source.ipa,
        entityName: source.entityName,
        now: clock.now(),
      });
      const signer = Pkcs12Signer.fromPkcs12(await readFile(paths.seal.p12), paths.password);
      const [devCa] = parsePemBundle(await readFile(paths.ca.cert, "utf8"));
      return devCa ? { signer, devCa } : { signer };
    }
  }
}

async function trustedListAnchors(list: { source: string; signerPemFile: string }, now: Date): Promise<Uint8Array[]> {
  const pins = parsePemBundle(await readFile(list.signerPemFile, "utf8")).map((certificate) => ({
    kind: "certificate" as const,
    certificate,
  }));
  if (pins.length === 0) throw new AppError("CERTIFICATE_MALFORMED", `no certificate in ${list.signerPemFile}`);
  const options = { expectedSigners: pins, now };
  const loaded = /^https?:\/\//.test(list.source)
    ? await loadTrustedListFromUrl(list.source, options)
    : await loadTrustedListFromFile(list.source, options);
  return [...loaded.trustAnchors];
}

/** The directory the embedded default keeps its development certificates in. */
export const devCertificatesDirectory = (dataDir: string) => join(dataDir, "certs");
