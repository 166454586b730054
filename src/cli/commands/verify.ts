import { resolve } from "node:path";
import type { Command } from "commander";
import { type CadesSigner, type PdfSignature, type Verification, verifySignature } from "../../signature/index.js";
import { loadTrust, pathExists, readFileOrFail, writeFileAtomically } from "../files.js";
import {
  CliFailure,
  type CliIo,
  EXIT,
  type ExitCode,
  formatCount,
  printJson,
  printLine,
  type RunState,
} from "../io.js";
import { examples } from "../options.js";

export interface VerifyCommandOptions {
  trust?: string[];
  extract?: string;
  force?: boolean;
  json?: boolean;
}

/** `faccia verify`: exit 0 when the signature is valid, 1 when it is not, 2 when it cannot be checked. */
export async function verifyCommand(io: CliIo, file: string, options: VerifyCommandOptions): Promise<ExitCode> {
  const trust = await loadTrust(options.trust ?? []);
  const bytes = await readFileOrFail(file, "signed file");
  const extractTo = options.extract === undefined ? null : resolve(options.extract);
  if (extractTo !== null && !options.force && (await pathExists(extractTo))) {
    throw new CliFailure(`${extractTo} already exists: pass --force to replace it`);
  }
  const result = verifySignature(bytes, { trust });
  if (trust.length === 0) printLine(io.stderr, "no --trust given: no certificate chain can be trusted");
  if (extractTo !== null) await extract(io, result, extractTo, options.force === true);
  if (options.json) printJson(io, verificationJson(result));
  else printVerification(io, file, result);
  return result.valid ? EXIT.ok : EXIT.negative;
}

/** The innermost content of a `.p7m`, valid or not; a PAdES PDF has nothing inside to extract. */
async function extract(io: CliIo, result: Verification, path: string, force: boolean): Promise<void> {
  if (result.format === "pades") {
    printLine(io.stderr, "nothing to extract: a PAdES signature sits inside the PDF, which is the document itself");
    return;
  }
  if (result.content === null) {
    printLine(io.stderr, "nothing to extract: the signed content could not be read");
    return;
  }
  await writeFileAtomically(path, [result.content], force);
  printLine(io.stderr, `content (${formatCount(result.content.byteLength)} bytes) written to ${path}`);
}

const FORMAT_LABEL = { cades: "CAdES (.p7m)", pades: "PAdES (PDF)" } as const;

function printVerification(io: CliIo, file: string, result: Verification): void {
  const verdict = result.valid ? "VALID" : "NOT VALID";
  const count = `${result.signers.length} signer${result.signers.length === 1 ? "" : "s"}`;
  printLine(io.stdout, `${file}: ${verdict}, ${FORMAT_LABEL[result.format]}, ${count}`);
  result.signers.forEach((signer, index) => {
    printLine(io.stdout, `  signer ${index + 1}: ${signerLine(signer, pdfSignatureOf(result, signer))}`);
  });
  for (const reason of result.reasons) {
    const who = reason.signerIndex === undefined ? "" : ` (signer ${reason.signerIndex + 1})`;
    printLine(io.stdout, `  reason ${reason.code}${who}: ${reason.message}`);
  }
}

function signerLine(signer: CadesSigner, pdf: PdfSignature | undefined): string {
  const parts = [signer.subject ?? "(signer certificate not found)"];
  const identifier = signer.fiscalCode ?? signer.organizationIdentifier;
  if (identifier) parts.push(identifier);
  const signedAt = signer.signingTime ?? pdf?.signingTime;
  parts.push(signedAt ? `signed ${signedAt.toISOString()}${signer.signingTime ? "" : " (/M)"}` : "no signing time");
  if (signer.timestamp) {
    const state = signer.timestamp.valid ? "valid" : "NOT valid";
    parts.push(`time-stamped ${signer.timestamp.genTime.toISOString()} (${state})`);
  }
  if (signer.layer > 0 && pdf === undefined) parts.push(`inner envelope ${signer.layer}`);
  const failed = Object.entries(signer.checks)
    .filter(([, passed]) => !passed)
    .map(([check]) => check);
  parts.push(failed.length === 0 ? "all checks passed" : `failed: ${failed.join(", ")}`);
  return parts.join(" · ");
}

/** PAdES signers carry the index of their signature dictionary as `layer`. */
function pdfSignatureOf(result: Verification, signer: CadesSigner): PdfSignature | undefined {
  return result.format === "pades" ? result.pdfSignatures?.[signer.layer] : undefined;
}

/** The `--json` document: dates as ISO strings, no binary (no content, no CMS bytes). */
export function verificationJson(result: Verification) {
  return {
    valid: result.valid,
    format: result.format,
    signers: result.signers.map((signer) => {
      const pdf = pdfSignatureOf(result, signer);
      return {
        layer: signer.layer,
        subject: signer.subject,
        organizationIdentifier: signer.organizationIdentifier,
        fiscalCode: signer.fiscalCode,
        serial: signer.serial,
        issuer: signer.issuer,
        signingTime: signer.signingTime?.toISOString() ?? null,
        digestAlgorithm: signer.digestAlgorithm,
        timestamp: signer.timestamp
          ? {
              genTime: signer.timestamp.genTime.toISOString(),
              valid: signer.timestamp.valid,
              tsa: signer.timestamp.tsa,
            }
          : null,
        checks: { ...signer.checks },
        ...(pdf ? { pdfSignature: pdfSignatureJson(pdf) } : {}),
      };
    }),
    reasons: result.reasons.map(({ code, message, signerIndex }) => ({
      code,
      message,
      ...(signerIndex === undefined ? {} : { signerIndex }),
    })),
  };
}

function pdfSignatureJson(pdf: PdfSignature) {
  return {
    subFilter: pdf.subFilter ?? null,
    signingTime: pdf.signingTime?.toISOString() ?? null,
    name: pdf.name ?? null,
    reason: pdf.reason ?? null,
    location: pdf.location ?? null,
    byteRange: [...pdf.byteRange],
    coversWholeFile: pdf.coversWholeFile,
  };
}

const VERIFY_HELP = `
FILE may be a .p7m in DER, BER or base64/PEM, a nested .p7m.p7m, a .p7m with parallel signatures,
or a PAdES PDF. Each signer is checked for its signature, message digest, signing-certificate-v2,
DER order of the signed attributes, chain to a --trust anchor, validity at the signing time (or
at its time-stamp) and key usage; every failure is printed with its reason code.
Without --trust no chain can be trusted, so no signature is valid (CHAIN_UNTRUSTED).

Exit status: 0 valid; 1 not valid (the reasons say why); 2 unreadable file or trust bundle.
${examples(
  "faccia verify report.pdf.p7m --trust ./data/certs/ca.pem",
  "faccia verify report.pdf.p7m --trust ca.pem --extract report.pdf",
  "faccia verify report-signed.pdf --trust ca.pem --json",
)}`;

export function registerVerify(program: Command, io: CliIo, state: RunState): void {
  program
    .command("verify")
    .description("verify a CAdES .p7m (also nested or co-signed) or a PAdES PDF, and extract the signed content")
    .argument("<file>", "the signed file")
    .option(
      "--trust <pem>",
      "PEM bundle of trusted CA certificates (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--extract <out>", "write the signed content of a .p7m (the innermost one) to this file")
    .option("--force", "replace the --extract file if it exists")
    .option("--json", "print one JSON document {valid, format, signers, reasons}")
    .addHelpText("after", VERIFY_HELP)
    .action(async (file: string, options: VerifyCommandOptions) => {
      state.exitCode = await verifyCommand(io, file, options);
    });
}
