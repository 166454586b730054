import { resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { isAppError } from "../../shared/errors.js";
import {
  addCadesSignature,
  addSignatureTimestamp,
  type CertificateInfo,
  checkCertificate,
  createTsaClient,
  looksLikePdf,
  Pkcs12Signer,
  parseCertificateInfo,
  type Signer,
  signCades,
  signCadesChunked,
  signPades,
  verifySignature,
} from "../../signature/index.js";
import { pathExists, readFileOrFail, writeFileAtomically } from "../files.js";
import { CliFailure, type CliIo, EXIT, type ExitCode, formatCount, printLine, type RunState } from "../io.js";
import { examples } from "../options.js";

export interface SignCommandOptions {
  in: string;
  out: string;
  p12: string;
  passwordFile?: string;
  pades?: boolean;
  cosign?: boolean;
  tsa?: string;
  force?: boolean;
}

type SignFormat = "cades" | "cosign" | "pades";

/** Asks the TSA for a token over a digest, remembering each genTime for the summary. */
interface Timestamps {
  readonly url: string;
  readonly times: Date[];
  request(digest: Uint8Array): Promise<Uint8Array>;
}

interface Job {
  readonly format: SignFormat;
  readonly input: Uint8Array;
  readonly signer: Signer;
  readonly certificate: CertificateInfo;
  readonly signingTime: Date;
  readonly timestamps: Timestamps | null;
}

const DESCRIPTION: Record<SignFormat, string> = {
  cades: "CAdES-BES enveloping .p7m, DER",
  cosign: "parallel signature added to the .p7m",
  pades: "PAdES B-B, incremental update",
};

/** `faccia sign`: CAdES `.p7m`, parallel co-signature or PAdES, optionally time-stamped. */
export async function signCommand(io: CliIo, options: SignCommandOptions): Promise<ExitCode> {
  const format = formatOf(options);
  const out = resolve(options.out);
  if (!options.force && (await pathExists(out))) {
    throw new CliFailure(`${out} already exists: pass --force to replace it`);
  }
  const input = await readFileOrFail(options.in, "input file");
  checkInputFits(format, input, options.in);
  const { signer, certificate } = await openSigner(io, options);
  const timestamps = options.tsa === undefined ? null : timestampsFrom(options.tsa);
  // Whole seconds: what signing-time (UTCTime, RFC 5652 §11.3) and /M (ISO 32000-1 §7.9.4) hold.
  const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);
  const job = { format, input, signer, certificate, signingTime, timestamps };
  const chunks = await produce(job, options.in);
  const bytes = await writeFileAtomically(out, chunks, options.force === true);
  printLine(io.stdout, `Signed ${options.in} → ${out} (${DESCRIPTION[format]}, ${formatCount(bytes)} bytes)`);
  printLine(io.stdout, `  signer        ${certificate.subject}`);
  printLine(io.stdout, `  signing time  ${job.signingTime.toISOString()}${format === "pades" ? " (/M)" : ""}`);
  for (const time of timestamps?.times ?? []) {
    printLine(io.stdout, `  timestamp     ${time.toISOString()} from ${timestamps?.url}`);
  }
  return EXIT.ok;
}

function formatOf(options: SignCommandOptions): SignFormat {
  if (options.pades && options.cosign) {
    throw new CliFailure("--pades and --cosign do not go together: --pades on a signed PDF already adds a signature");
  }
  return options.pades ? "pades" : options.cosign ? "cosign" : "cades";
}

function checkInputFits(format: SignFormat, input: Uint8Array, path: string): void {
  if (format === "pades" && !looksLikePdf(input)) {
    throw new CliFailure(`${path} is not a PDF (no %PDF- header): --pades signs PDF files only`);
  }
  if (format === "cosign" && looksLikePdf(input)) {
    throw new CliFailure(`${path} is a PDF: --cosign extends a .p7m; sign the PDF again with --pades instead`);
  }
}

/**
 * The password comes from a file (its first line, as OpenSSL's `-passin file:` reads it) or from
 * FACCIA_P12_PASSWORD, never from argv: argv shows in `ps` and in shell history.
 */
async function readPassword(io: CliIo, passwordFile: string | undefined): Promise<string> {
  if (passwordFile !== undefined) {
    const text = Buffer.from(await readFileOrFail(passwordFile, "password file")).toString("utf8");
    return text.split(/\r?\n/, 1)[0] ?? "";
  }
  const fromEnv = io.env.FACCIA_P12_PASSWORD;
  if (fromEnv) return fromEnv;
  throw new CliFailure("no PKCS#12 password: set FACCIA_P12_PASSWORD or pass --password-file FILE", {
    code: "P12_PASSWORD_MISSING",
  });
}

/** Opens the key; warns about a certificate close to expiry and refuses one that cannot sign now. */
async function openSigner(io: CliIo, options: SignCommandOptions) {
  const password = await readPassword(io, options.passwordFile);
  const p12 = await readFileOrFail(options.p12, "PKCS#12 file");
  let signer: Pkcs12Signer;
  try {
    signer = Pkcs12Signer.fromPkcs12(p12, password);
  } catch (error) {
    // The library's messages never hold the password; the cause (which might) is not printed.
    if (isAppError(error) && error.code.startsWith("P12_")) {
      throw new CliFailure(`${options.p12}: ${error.message}`, { code: error.code });
    }
    throw error;
  }
  const certificate = parseCertificateInfo(signer.certificateChain[0] as Uint8Array);
  const findings = checkCertificate(certificate, { role: "signature", now: new Date() });
  for (const finding of findings.filter((f) => f.severity === "warning")) {
    printLine(io.stderr, `warning: ${finding.message}`);
  }
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length > 0) {
    throw new CliFailure(`refusing to sign: ${errors.map((f) => f.message).join("; ")}`, {
      code: "CERTIFICATE_UNUSABLE",
    });
  }
  return { signer, certificate };
}

function timestampsFrom(url: string): Timestamps {
  const client = createTsaClient({ url });
  const times: Date[] = [];
  return {
    url,
    times,
    async request(digest) {
      const token = await client.timestamp(digest);
      times.push(token.genTime);
      return token.token;
    },
  };
}

/** The output as chunks whose concatenation is the file, written with one writev. */
async function produce(job: Job, inputPath: string): Promise<Uint8Array[]> {
  try {
    if (job.format === "pades") return [await signPdf(job)];
    if (job.format === "cosign") return [await cosign(job)];
    // CAdES-T (ETSI EN 319 122-1 §5.3): the signature-time-stamp is an unsigned attribute.
    if (job.timestamps) {
      const p7m = await signCades(job.input, job.signer, { signingTime: job.signingTime });
      return [await addSignatureTimestamp(p7m, requestOf(job))];
    }
    // Written as chunks around the input's own buffer: a 20 MB file is never copied.
    return signCadesChunked(job.input, job.signer, { signingTime: job.signingTime });
  } catch (error) {
    throw inputRefused(error, inputPath);
  }
}

/** PAdES B-B (ETSI EN 319 142-1 §6.3 Table 1): detached CAdES without signing-time; the time goes in /M. */
function signPdf(job: Job): Promise<Uint8Array> {
  return signPades(
    job.input,
    async (bytesToSign) => {
      const cms = await signCades(bytesToSign, job.signer, { detached: true, signingTime: null });
      return job.timestamps ? addSignatureTimestamp(cms, requestOf(job)) : cms;
    },
    { signingTime: job.signingTime, ...(job.certificate.commonName ? { name: job.certificate.commonName } : {}) },
  );
}

function requestOf(job: Job): (digest: Uint8Array) => Promise<Uint8Array> {
  const timestamps = job.timestamps;
  if (!timestamps) throw new Error("no TSA configured");
  return (digest) => timestamps.request(digest);
}

/**
 * One more SignerInfo in the same SignedData (reference/signature.md §1.6, "firme congiunte").
 * With a TSA only the new SignerInfo is time-stamped: the others stay byte for byte.
 */
async function cosign(job: Job): Promise<Uint8Array> {
  const p7m = await addCadesSignature(job.input, job.signer, { signingTime: job.signingTime });
  if (!job.timestamps) return p7m;
  return addSignatureTimestamp(p7m, requestOf(job), { signerIndex: newSignerIndex(p7m, job) });
}

/**
 * SignerInfos are a DER SET OF, sorted by their encoding (X.690 §11.6): the new one is not
 * necessarily the last. It is the outer-envelope signer with our certificate, our signing time
 * and no time-stamp yet; the verifier lists them in file order.
 */
function newSignerIndex(p7m: Uint8Array, job: Job): number {
  const { signers, reasons } = verifySignature(p7m, { trust: [] });
  const hex = (serial: string | null) => serial?.replace(/^0+/, "").toLowerCase();
  const matches = signers.flatMap((signer, index) =>
    signer.layer === 0 &&
    hex(signer.serial) === hex(job.certificate.serialNumber) &&
    signer.signingTime?.getTime() === job.signingTime.getTime() &&
    signer.timestamp === undefined
      ? [index]
      : [],
  );
  const [index, ...others] = matches;
  if (index === undefined || others.length > 0 || reasons.some((reason) => reason.code === "MALFORMED")) {
    throw new CliFailure("cannot tell which signature of the .p7m is the new one, so it cannot be time-stamped");
  }
  return index;
}

/** Input the signature module refuses (not a .p7m, a PDF it cannot update) becomes a usage error. */
function inputRefused(error: unknown, path: string): unknown {
  if (isAppError(error) && error.code === "REQUEST_VALIDATION_FAILED") {
    return new CliFailure(`${path}: ${error.message}`, { code: "SIGNATURE_INPUT_INVALID" });
  }
  const code = error instanceof Error && "code" in error ? String(error.code) : "";
  if (code.startsWith("PDF_")) return new CliFailure(`${path}: ${(error as Error).message}`, { code });
  return error;
}

function urlOption(raw: string): string {
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new InvalidArgumentError(`expected an http(s) URL of an RFC 3161 time-stamping authority, got "${raw}"`);
  }
  return url.href;
}

const SIGN_HELP = `
Without --pades the output is a CAdES-BES .p7m (ETSI EN 319 122-1 baseline B-B), enveloping, DER:
SHA-256, signed attributes content-type, message-digest, signing-time and signing-certificate-v2,
with the signer certificate and its chain. --pades signs a PDF as PAdES B-B (/SubFilter
ETSI.CAdES.detached, the time in /M) as an incremental update, so earlier signatures stay valid.
--cosign adds a parallel signature to an existing .p7m (firme congiunte): still one .p7m.
--tsa adds an RFC 3161 signature time-stamp to the new signature (CAdES-T, PAdES B-T).

The PKCS#12 password is the first line of --password-file, or FACCIA_P12_PASSWORD. It is never
taken from the command line (ps and shell history show it) and never printed. A key in a PKCS#12
file suits an entity seal (sigillo) and tests; a qualified signature is made by the remote signer
of a trust service provider.

Exit status: 0 signed; 2 missing input, wrong password, --out exists, --pades on a non-PDF, or a
TSA that does not answer.
${examples(
  "FACCIA_P12_PASSWORD=secret faccia sign --in report.pdf --p12 seal.p12 --out report.pdf.p7m",
  "faccia sign --in report.pdf --pades --p12 seal.p12 --password-file p12-password.txt --out report-signed.pdf",
  "faccia sign --in report.pdf.p7m --cosign --p12 mayor.p12 --password-file pw.txt --out report.pdf.p7m --force",
  "faccia sign --in report.json --tsa http://127.0.0.1:3180/tsa --p12 seal.p12 --out report.json.p7m",
  "openssl cms -verify -cades -binary -inform DER -CAfile ca.pem -in report.pdf.p7m -out report.pdf",
)}`;

export function registerSign(program: Command, io: CliIo, state: RunState): void {
  program
    .command("sign")
    .description("sign a file as a CAdES .p7m or a PDF as PAdES, with a PKCS#12 key; co-sign a .p7m")
    .requiredOption("--in <file>", "(required) the file to sign (with --cosign: the .p7m to add a signature to)")
    .requiredOption("--p12 <file>", "(required) PKCS#12 file holding the signing key and its certificate chain")
    .requiredOption("--out <file>", "(required) where to write the signed file")
    .option("--password-file <file>", "file whose first line is the PKCS#12 password (default: FACCIA_P12_PASSWORD)")
    .option("--pades", "sign a PDF as PAdES B-B instead of making a .p7m")
    .option("--cosign", "add a parallel signature to the .p7m given as --in")
    .option("--tsa <url>", "time-stamp the signature at this RFC 3161 TSA (CAdES-T)", urlOption)
    .option("--force", "replace --out if it exists")
    .addHelpText("after", SIGN_HELP)
    .action(async (options: SignCommandOptions) => {
      state.exitCode = await signCommand(io, options);
    });
}
