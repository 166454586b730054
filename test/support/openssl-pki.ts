/**
 * A throw-away PKI made by the openssl CLI (independent of our code, which is the point of
 * an interoperability proof): root and intermediate CAs, signer certificates for each key
 * type and Italian profile, negative cases and a TSA, plus helpers that run openssl in the
 * temp directory. Commands follow reference/signature.md §3.2.
 *
 * Without openssl the suites are skipped locally; with CI=true they run and fail.
 */
import { spawnSync } from "node:child_process";
import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const OPENSSL_AVAILABLE = spawnSync("openssl", ["version"]).status === 0;
/** For `describe.skipIf`: skip only off CI, so a CI machine without openssl fails loudly. */
export const SKIP_WITHOUT_OPENSSL = !OPENSSL_AVAILABLE && process.env.CI !== "true";

export interface PkiIdentity {
  readonly name: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** PEM file with the certificates between this one and the root, for `-certfile`; null when none. */
  readonly chainPath: string | null;
  readonly certificate: Uint8Array;
  /** This certificate, then its intermediates (not the root), DER. */
  readonly chain: readonly Uint8Array[];
  readonly key: KeyObject;
}

type KeySpec = "rsa" | "P-256" | "P-384";
type IdentityName = "rsa" | "ec256" | "ec384" | "seal" | "person" | "expired" | "untrusted" | "encipherOnly" | "tsa";

export interface OpensslPki {
  readonly dir: string;
  readonly root: PkiIdentity;
  readonly intermediate: PkiIdentity;
  readonly rogueRoot: PkiIdentity;
  readonly identities: Readonly<Record<IdentityName, PkiIdentity>>;
  /** Runs openssl in the PKI directory; throws with stderr when it fails. */
  openssl(args: readonly string[]): Buffer;
  /** Runs openssl and returns its exit status and output instead of throwing. */
  tryOpenssl(args: readonly string[]): { status: number; stdout: string; stderr: string };
  writeFile(name: string, bytes: Uint8Array | string): string;
  readFile(name: string): Buffer;
  /** A TimeStampToken (ContentInfo DER) over a SHA-256 digest, from `openssl ts -reply`. */
  timestampToken(digest: Uint8Array): Uint8Array;
  cleanup(): void;
}

const LEAF = "basicConstraints=critical,CA:FALSE\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid";
const CA = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash";
const SIGNING = `${LEAF}\nkeyUsage=critical,digitalSignature,nonRepudiation`;
const NON_REPUDIATION = `${LEAF}\nkeyUsage=critical,nonRepudiation`;
const ROOT_DATES: [string, string] = ["20190101000000Z", "20450101000000Z"];

interface CertificateSpec {
  readonly subject: string;
  readonly key: KeySpec;
  /** The issuing authority's name; null for a self-signed root. */
  readonly issuer: "root" | "intermediate" | "rogue" | null;
  readonly extensions: string;
  readonly dates?: [string, string];
}

/** Issued in this order, so each issuer exists before its certificates. */
const AUTHORITIES: Record<"root" | "intermediate" | "rogue", CertificateSpec> = {
  root: {
    subject: "/C=IT/O=Faccia Test/CN=Faccia Test Root CA",
    key: "rsa",
    issuer: null,
    extensions: CA,
    dates: ROOT_DATES,
  },
  intermediate: {
    subject: "/C=IT/O=Faccia Test/CN=Faccia Test Intermediate CA",
    key: "rsa",
    issuer: "root",
    extensions: CA,
  },
  rogue: { subject: "/C=IT/O=Rogue/CN=Rogue Root CA", key: "P-256", issuer: null, extensions: CA, dates: ROOT_DATES },
};

const IDENTITIES: Record<IdentityName, CertificateSpec> = {
  rsa: { subject: "/C=IT/O=Comune di Test/CN=Firmatario RSA", key: "rsa", issuer: "root", extensions: SIGNING },
  ec256: { subject: "/C=IT/O=Comune di Test/CN=Firmatario P-256", key: "P-256", issuer: "root", extensions: SIGNING },
  ec384: {
    subject: "/C=IT/O=Comune di Test/CN=Firmatario P-384",
    key: "P-384",
    issuer: "intermediate",
    extensions: SIGNING,
  },
  seal: {
    subject: "/C=IT/O=Roma Capitale/organizationIdentifier=PA:IT-c_h501/CN=Roma Capitale",
    key: "rsa",
    issuer: "root",
    extensions: NON_REPUDIATION,
  },
  person: {
    subject: "/C=IT/GN=Mario/SN=Rossi/serialNumber=TINIT-RSSMRA80A01H501U/CN=Rossi Mario",
    key: "P-256",
    issuer: "root",
    extensions: NON_REPUDIATION,
  },
  expired: {
    subject: "/C=IT/O=Comune di Test/CN=Scaduto",
    key: "rsa",
    issuer: "root",
    extensions: SIGNING,
    dates: ["20200101000000Z", "20210101000000Z"],
  },
  untrusted: { subject: "/C=IT/O=Rogue/CN=Firmatario non fidato", key: "rsa", issuer: "rogue", extensions: SIGNING },
  encipherOnly: {
    subject: "/C=IT/O=Comune di Test/CN=Solo cifratura",
    key: "rsa",
    issuer: "root",
    extensions: `${LEAF}\nkeyUsage=critical,keyEncipherment`,
  },
  tsa: {
    subject: "/C=IT/O=Faccia Test/CN=Faccia Test TSA",
    key: "rsa",
    issuer: "root",
    extensions: `${SIGNING}\nextendedKeyUsage=critical,timeStamping`,
  },
};

type Run = (args: readonly string[]) => Buffer;

/** Authorities whose certificate goes into their signers' chains (the roots are trust anchors instead). */
const AUTHORITIES_BELOW_ROOT = new Set(["intermediate"]);

export function createOpensslPki(): OpensslPki {
  const dir = mkdtempSync(join(tmpdir(), "faccia-pki-"));
  const run: Run = (args) => {
    const result = spawnSync("openssl", args, { cwd: dir });
    if (result.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${result.stderr?.toString() ?? result.error}`);
    return result.stdout;
  };
  const issued = new Map<string, PkiIdentity>();
  const issue = (name: string, spec: CertificateSpec): PkiIdentity => {
    const identity = issueCertificate(
      dir,
      run,
      name,
      spec,
      spec.issuer === null ? null : (issued.get(spec.issuer) ?? null),
    );
    issued.set(name, identity);
    return identity;
  };
  const [root, intermediate, rogueRoot] = Object.entries(AUTHORITIES).map(([name, spec]) => issue(name, spec));
  const identities = Object.fromEntries(Object.entries(IDENTITIES).map(([name, spec]) => [name, issue(name, spec)]));
  const digests = ["sha256", "sha384", "sha512"];
  const tsa = opensslTsaConfig({ dir, certs: "root.pem", policy: "1.3.6.1.4.1.99999.1", digests, ordering: true });
  writeFileSync(join(dir, "ts.cnf"), tsa);
  writeFileSync(join(dir, "tsaserial"), "01\n");
  if (!root || !intermediate || !rogueRoot) throw new Error("authorities not issued");
  return {
    dir,
    root,
    intermediate,
    rogueRoot,
    identities: identities as Record<IdentityName, PkiIdentity>,
    ...helpers(dir, run),
  };
}

function helpers(
  dir: string,
  run: Run,
): Omit<OpensslPki, "dir" | "root" | "intermediate" | "rogueRoot" | "identities"> {
  let requests = 0;
  return {
    openssl: run,
    tryOpenssl: (args) => {
      const result = spawnSync("openssl", args, { cwd: dir });
      return { status: result.status ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
    },
    writeFile: (name, bytes) => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    },
    readFile: (name) => readFileSync(join(dir, name)),
    timestampToken: (digest) => {
      const request = `ts-${++requests}`;
      const hex = Buffer.from(digest).toString("hex");
      run(["ts", "-query", "-digest", hex, "-sha256", "-cert", "-out", `${request}.tsq`]);
      run([
        "ts",
        "-reply",
        "-config",
        "ts.cnf",
        "-queryfile",
        `${request}.tsq`,
        "-token_out",
        "-out",
        `${request}.tst`,
      ]);
      return new Uint8Array(readFileSync(join(dir, `${request}.tst`)));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Issues with `openssl ca`, which (unlike `x509 -req` in OpenSSL 3.0) takes explicit dates. */
function issueCertificate(
  dir: string,
  run: Run,
  name: string,
  spec: CertificateSpec,
  parent: PkiIdentity | null,
): PkiIdentity {
  const keyArgs =
    spec.key === "rsa"
      ? ["RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
      : ["EC", "-pkeyopt", `ec_paramgen_curve:${spec.key}`];
  run(["genpkey", "-algorithm", ...keyArgs, "-out", `${name}.key`]);
  run(["req", "-new", "-key", `${name}.key`, "-subj", spec.subject, "-out", `${name}.csr`]);
  writeFileSync(join(dir, `${name}.ext`), `[ext]\n${spec.extensions}\n`);
  const signing = parent
    ? ["-cert", parent.certPath, "-keyfile", parent.keyPath]
    : ["-selfsign", "-keyfile", `${name}.key`];
  const [start, end] = spec.dates ?? ["20200101000000Z", "20400101000000Z"];
  const config = caDatabase(dir, parent?.name ?? name);
  const dates = ["-startdate", start, "-enddate", end];
  const files = ["-in", `${name}.csr`, "-out", `${name}.pem`, "-extfile", `${name}.ext`, "-extensions", "ext"];
  run(["ca", "-batch", "-notext", "-preserveDN", "-config", config, ...signing, ...dates, ...files]);
  const certificate = new Uint8Array(new X509Certificate(readFileSync(join(dir, `${name}.pem`))).raw);
  // The chain handed to signers stops below the root, as a verifier has the root as anchor.
  const parentChain = parent && AUTHORITIES_BELOW_ROOT.has(parent.name) ? parent.chain : [];
  const chainPath = parentChain.length > 0 ? join(dir, `${name}-chain.pem`) : null;
  if (chainPath) writeFileSync(chainPath, toPem(parentChain));
  const key = createPrivateKey(readFileSync(join(dir, `${name}.key`)));
  const paths = { certPath: join(dir, `${name}.pem`), keyPath: join(dir, `${name}.key`), chainPath };
  return { name, ...paths, certificate, chain: [certificate, ...parentChain], key };
}

function caDatabase(dir: string, caName: string): string {
  const caDir = join(dir, `ca-${caName}`);
  const config = join(caDir, "ca.cnf");
  mkdirSync(caDir, { recursive: true });
  try {
    readFileSync(config);
  } catch {
    writeFileSync(join(caDir, "index.txt"), "");
    writeFileSync(join(caDir, "serial"), `${(10 + Math.floor(Math.random() * 1000)).toString(16).padStart(4, "0")}\n`);
    writeFileSync(
      config,
      `[ca]\ndefault_ca = ca_default\n[ca_default]\ndir = ${caDir}\ndatabase = $dir/index.txt\nnew_certs_dir = $dir\nserial = $dir/serial\ndefault_md = sha256\npolicy = policy_any\nunique_subject = no\ncopy_extensions = none\n[policy_any]\ncommonName = supplied\n`,
    );
  }
  return config;
}

export interface OpensslTsaOptions {
  /** Holds tsa.pem, tsa.key, the `certs` file and the serial file tsaserial. */
  readonly dir: string;
  /** Certificates the token carries besides the TSA's, a file name in `dir`. */
  readonly certs: string;
  readonly policy: string;
  /** Digests the TSA accepts; others get a badAlg rejection. */
  readonly digests: readonly string[];
  readonly ordering: boolean;
}

/**
 * ts.cnf for `openssl ts -reply` (reference/signature.md §3.2; OpenSSL `ts` manual, "CONFIGURATION
 * FILE OPTIONS"), signing with $dir/tsa.pem and $dir/tsa.key, SHA-256 ESSCertIDv2.
 */
export function opensslTsaConfig(options: OpensslTsaOptions): string {
  return `[tsa]
default_tsa = tsa_config
[tsa_config]
dir = ${options.dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/${options.certs}
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = ${options.policy}
digests = ${options.digests.join(", ")}
accuracy = secs:1
ordering = ${options.ordering ? "yes" : "no"}
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
}

/**
 * `openssl cms -sign -cades` (or `-resign`) as reference/signature.md §3.2 prescribes: binary,
 * attached, SHA-256, no S/MIME capabilities, the identity's intermediates with -certfile. The
 * caller adds input and output (and may override -md: the last one wins).
 */
export function cadesSignArgs(identity: PkiIdentity, operation: "-sign" | "-resign" = "-sign"): string[] {
  const chain = identity.chainPath ? ["-certfile", identity.chainPath] : [];
  const signer = ["-signer", identity.certPath, "-inkey", identity.keyPath, ...chain];
  return ["cms", operation, "-cades", "-binary", "-nodetach", "-md", "sha256", "-nosmimecap", ...signer];
}

/**
 * `openssl cms -verify -cades` of a DER .p7m against `caFile` (reference/signature.md §3.2),
 * then `extra` (e.g. `-out content.bin`). Paths are relative to the PKI directory, or absolute.
 */
export function cadesVerifyArgs(p7m: string, caFile: string, ...extra: string[]): string[] {
  return ["cms", "-verify", "-cades", "-binary", "-inform", "DER", "-in", p7m, "-CAfile", caFile, ...extra];
}

/** PEM for `openssl -CAfile` from DER certificates. */
export function toPem(certificates: readonly Uint8Array[]): string {
  return certificates.map((der) => new X509Certificate(der).toString()).join("");
}
