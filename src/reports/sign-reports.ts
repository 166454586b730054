import { createHash } from "node:crypto";
import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import type { Artifact, ReportRecord, ReportRepository } from "./adapters/report-repository.js";
import { reportTransition } from "./domain/report-lifecycle.js";
import type { Reports } from "./manage-reports.js";

/**
 * Signing an approved report (issue 5): with the gateway's configured signer
 * (a seal, or a qualified signature through a trust service provider), or by
 * accepting a signature made elsewhere (smart card, desktop tool). Either way
 * the report becomes `signed` and its signed files are stored with their
 * SHA-256; the unsigned files stay as they were.
 */

export type SignatureFormat = "cades" | "pades";

/** What an uploaded signature proved, as the signature module verified it. */
export interface UploadVerification {
  valid: boolean;
  kind: "cades" | "pades";
  /** CAdES: the signed content. PAdES: the uploaded PDF (its signed revision is checked by `coversStored`). */
  content: Uint8Array | null;
  /** PAdES only: whether the signature covers the whole uploaded file and the file starts with `stored`. */
  coversStored?: (stored: Uint8Array) => boolean;
  signers: Array<{ subject: string; fiscalCode: string | null }>;
  reasons: Array<{ code: string; message: string }>;
}

/** The signature module as this use case needs it (wired in src/main.ts). */
export interface ReportSignaturePort {
  /** The certificate subject of the entity's signer; null when it has none. */
  signerSubject(ipaCode: string): Promise<string | null>;
  signCades(ipaCode: string, content: Uint8Array): Promise<Uint8Array>;
  signPades(ipaCode: string, pdf: Uint8Array, details: { reason: string; location: string }): Promise<Uint8Array>;
  verifyUpload(bytes: Uint8Array): Promise<UploadVerification>;
}

export interface SignReportsDeps {
  reports: Reports;
  repo: ReportRepository;
  clock: Clock;
  signature: ReportSignaturePort;
  defaultFormat: SignatureFormat;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const artifact = (format: Artifact["format"], content: Uint8Array): Artifact => ({
  format,
  content,
  sha256: sha256(content),
});

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

export function createReportSigning({ reports, repo, clock, signature, defaultFormat }: SignReportsDeps) {
  async function approvedReport(ipaCode: string, id: string): Promise<ReportRecord> {
    const record = await reports.get(ipaCode, id);
    const outcome = reportTransition(record.status, "sign");
    if (!outcome.ok) throw new AppError("REPORT_STATE_CONFLICT", outcome.reason);
    return record;
  }

  async function store(
    ipaCode: string,
    record: ReportRecord,
    files: Artifact[],
    by: string,
    source: "gateway" | "upload",
  ): Promise<ReportRecord> {
    const saved = await repo.saveSigned(record.id, files, { at: clock.now(), by, source });
    if (!saved) throw new AppError("REPORT_STATE_CONFLICT", "the report changed while it was being signed");
    return reports.get(ipaCode, record.id);
  }

  return {
    /** Signs an approved report's PDF and JSON with the gateway's signer: CAdES `.p7m` or PAdES. */
    async sign(ipaCode: string, id: string, by: string, format: SignatureFormat = defaultFormat) {
      const record = await approvedReport(ipaCode, id);
      const subject = await signature.signerSubject(ipaCode);
      if (!subject)
        throw new AppError("SIGNER_NOT_CONFIGURED", `no signer is configured for ${ipaCode}: set FACCIA_SIGNER`);
      const pdf = await reports.artifact(ipaCode, id, "pdf");
      const json = await reports.artifact(ipaCode, id, "json");
      const files = [artifact("json.p7m", await signature.signCades(ipaCode, json.content))];
      if (format === "pades") {
        const details = { reason: `Relazione ${record.periodLabel}`, location: ipaCode };
        files.push(artifact("signed.pdf", await signature.signPades(ipaCode, pdf.content, details)));
      } else {
        files.push(artifact("pdf.p7m", await signature.signCades(ipaCode, pdf.content)));
      }
      return store(ipaCode, record, files, `${subject} (${by})`, "gateway");
    },

    /**
     * Accepts a signature made elsewhere on the report's stored PDF: a `.p7m` or a signed PDF.
     * It must verify against the trust anchors, sign exactly the stored bytes, and come from a
     * person whose fiscal code belongs to one of the entity's secretaries.
     */
    async acceptUpload(ipaCode: string, id: string, by: string, bytes: Uint8Array) {
      const record = await approvedReport(ipaCode, id);
      const pdf = await reports.artifact(ipaCode, id, "pdf");
      const result = await signature.verifyUpload(bytes);
      const problems = [...result.reasons];
      if (result.valid) {
        const signsStored =
          result.kind === "cades"
            ? result.content !== null && sameBytes(result.content, pdf.content)
            : (result.coversStored?.(pdf.content) ?? false);
        if (!signsStored) {
          problems.push({ code: "NOT_THE_STORED_PDF", message: "the signature does not cover exactly the stored PDF" });
        }
        const secretaries = await repo.secretaryFiscalCodes(record.entityId);
        const signer = result.signers.find((s) => s.fiscalCode && secretaries.has(s.fiscalCode.toUpperCase()));
        if (!signer) {
          problems.push({
            code: "SIGNER_NOT_A_SECRETARY",
            message: "no signer's fiscal code belongs to a secretary of this entity",
          });
        }
        if (problems.length === 0 && signer) {
          const format = result.kind === "cades" ? "pdf.p7m" : "signed.pdf";
          return store(ipaCode, record, [artifact(format, bytes)], `${signer.subject} (${by})`, "upload");
        }
      }
      throw new AppError("SIGNATURE_UPLOAD_REJECTED", "the uploaded signature was not accepted", {
        errors: problems.map((p) => ({ path: p.code, message: p.message })),
        extensions: { reasons: problems.map((p) => p.code) },
      });
    },
  };
}

export type ReportSigning = ReturnType<typeof createReportSigning>;
