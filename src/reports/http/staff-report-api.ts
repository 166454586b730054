import { createRoute, z } from "@hono/zod-openapi";
import { requireAccess } from "../../identity/index.js";
import { bodyLimit } from "../../shared/http/body-limit.js";
import {
  createRouter,
  EntityParams,
  entityResolver,
  jsonBody,
  jsonContent,
  problemResponses,
  staffSecurity,
} from "../../shared/http/router.js";
import { ARTIFACT_FORMATS, type ArtifactFormat, type ReportRecord } from "../adapters/report-repository.js";
import { REPORT_STATUSES } from "../domain/report-lifecycle.js";
import type { Reports } from "../manage-reports.js";
import type { ReportSigning } from "../sign-reports.js";

const Report = z
  .object({
    id: z.uuid(),
    period: z.object({
      kind: z.enum(["month", "quarter", "year", "custom"]),
      label: z.string(),
      firstDay: z.string(),
      lastDay: z.string(),
    }),
    language: z.enum(["it", "en"]),
    status: z.enum(REPORT_STATUSES),
    generation: z.number().int(),
    generatedAt: z.string(),
    generatedBy: z.string(),
    approvedAt: z.string().nullable(),
    approvedBy: z.string().nullable(),
    signature: z
      .object({
        at: z.string(),
        by: z.string().openapi({ description: "The signer's certificate subject, and who asked" }),
        source: z.enum(["gateway", "upload"]),
      })
      .nullable(),
    files: z.array(
      z.object({
        format: z.enum(ARTIFACT_FORMATS),
        sha256: z.string(),
        bytes: z.number().int(),
        href: z.string(),
      }),
    ),
  })
  .openapi("Report");
const ReportCreate = z
  .object({
    period: z
      .string()
      .min(4)
      .max(32)
      .openapi({ example: "2026-10", description: "2026-10, 2026-Q4, 2026 or 2026-10-01..2026-10-15" }),
    language: z.enum(["it", "en"]).optional(),
  })
  .openapi("ReportCreate");
const ReportParams = EntityParams.extend({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
const FileParams = ReportParams.extend({
  format: z.enum(ARTIFACT_FORMATS).openapi({ param: { name: "format", in: "path" } }),
});
const SignRequest = z
  .object({
    format: z.enum(["cades", "pades"]).optional().openapi({
      description:
        "cades: .pdf.p7m and .json.p7m; pades: a signed PDF and .json.p7m (default: FACCIA_SIGNATURE_FORMAT)",
    }),
  })
  .openapi("SignRequest");
/** A signed PDF or a `.p7m` of the PDF: 20 MB is far above any report. */
const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

const security = staffSecurity;
const tags = ["Reports"];
const CONTENT_TYPES: Record<ArtifactFormat, string> = {
  json: "application/json",
  csv: "text/csv; charset=utf-8; header=present",
  pdf: "application/pdf",
  "pdf.p7m": "application/pkcs7-mime",
  "json.p7m": "application/pkcs7-mime",
  "signed.pdf": "application/pdf",
};

/** Download names: the unsigned files as before; signed ones as issue 5 names them (`report-<IPA>-<period>…`). */
function fileName(ipa: string, record: ReportRecord, format: ArtifactFormat): string {
  const period = record.periodLabel.replaceAll("..", "_");
  if (format === "pdf.p7m" || format === "json.p7m") return `report-${ipa}-${period}.${format}`;
  if (format === "signed.pdf") return `report-${ipa}-${period}.pdf`;
  return `faccia-${ipa}-${period}-${record.language}.${format}`;
}

function view(ipa: string, record: ReportRecord) {
  return {
    id: record.id,
    period: { kind: record.periodKind, label: record.periodLabel, firstDay: record.firstDay, lastDay: record.lastDay },
    language: record.language === "en" ? ("en" as const) : ("it" as const),
    status: record.status,
    generation: record.generation,
    generatedAt: record.generatedAt.toISOString(),
    generatedBy: record.generatedBy,
    approvedAt: record.approvedAt?.toISOString() ?? null,
    approvedBy: record.approvedBy,
    signature: record.signature
      ? { at: record.signature.at.toISOString(), by: record.signature.by, source: record.signature.source }
      : null,
    files: record.artifacts.map((a) => ({
      ...a,
      href: `/api/v1/entities/${ipa}/reports/${record.id}/files/${a.format}`,
    })),
  };
}

/** Staff routes for reports under `/api/v1/entities/{ipa}/reports` (issue 4). */
export function staffReportApi(deps: {
  reports: Reports;
  signing: ReportSigning;
  resolveEntityId: (ipaCode: string) => Promise<string | null>;
}) {
  const router = createRouter();
  const entityId = entityResolver(deps.resolveEntityId);

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/reports",
      tags,
      security,
      summary: "List the entity's reports, newest period first",
      request: { params: EntityParams },
      responses: {
        200: jsonContent(z.object({ items: z.array(Report) }), "Reports"),
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { ipa } = c.req.valid("param");
      requireAccess(c, await entityId(ipa), "read");
      return c.json({ items: (await deps.reports.list(ipa)).map((r) => view(ipa, r)) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/reports",
      tags,
      security,
      summary: "Generate the draft report of a period, or regenerate the existing draft",
      request: { params: EntityParams, ...jsonBody(ReportCreate) },
      responses: {
        201: jsonContent(Report, "Draft created"),
        200: jsonContent(Report, "Draft regenerated"),
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { ipa } = c.req.valid("param");
      const principal = requireAccess(c, await entityId(ipa), "report");
      const { period, language } = c.req.valid("json");
      const { record } = await deps.reports.generate({
        ipaCode: ipa,
        period,
        by: principal.name,
        ...(language ? { language } : {}),
      });
      return c.json(view(ipa, record), record.generation === 1 ? 201 : 200);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/reports/{id}",
      tags,
      security,
      summary: "One report: status and files",
      request: { params: ReportParams },
      responses: { 200: jsonContent(Report, "The report"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { ipa, id } = c.req.valid("param");
      requireAccess(c, await entityId(ipa), "read");
      return c.json(view(ipa, await deps.reports.get(ipa, id)), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/reports/{id}/files/{format}",
      tags,
      security,
      summary: "Download a report file (JSON, CSV, PDF, or once signed .pdf.p7m, .json.p7m or the signed PDF)",
      request: { params: FileParams },
      responses: {
        200: { description: "The file, as stored (its SHA-256 is the ETag)" },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { ipa, id, format } = c.req.valid("param");
      requireAccess(c, await entityId(ipa), "read");
      const record = await deps.reports.get(ipa, id);
      const artifact = await deps.reports.artifact(ipa, id, format);
      const name = fileName(ipa, record, format);
      return c.body(new Uint8Array(artifact.content), 200, {
        "content-type": CONTENT_TYPES[format],
        "content-disposition": `attachment; filename="${name}"`,
        etag: `"${artifact.sha256}"`,
        "cache-control": "private, no-cache",
      });
    },
  );

  for (const action of ["approve", "reopen"] as const) {
    router.openapi(
      createRoute({
        method: "post",
        path: `/entities/{ipa}/reports/{id}/${action}`,
        tags,
        security,
        summary:
          action === "approve"
            ? "Approve a draft (the secretary's review): its files are frozen until reopened"
            : "Reopen an approved report as a draft, so it can be regenerated",
        request: { params: ReportParams },
        responses: { 200: jsonContent(Report, "The report"), ...problemResponses(401, 403, 404, 409) },
      }),
      async (c) => {
        const { ipa, id } = c.req.valid("param");
        const principal = requireAccess(c, await entityId(ipa), "report");
        return c.json(view(ipa, await deps.reports[action](ipa, id, principal.name)), 200);
      },
    );
  }
  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/reports/{id}/sign",
      tags,
      security,
      summary: "Sign an approved report with the gateway's signer (seal or remote qualified signature)",
      request: { params: ReportParams, ...jsonBody(SignRequest) },
      responses: { 200: jsonContent(Report, "The signed report"), ...problemResponses(400, 401, 403, 404, 409, 503) },
    }),
    async (c) => {
      const { ipa, id } = c.req.valid("param");
      const principal = requireAccess(c, await entityId(ipa), "sign");
      const { format } = c.req.valid("json");
      return c.json(view(ipa, await deps.signing.sign(ipa, id, principal.name, format)), 200);
    },
  );

  router.use("/entities/:ipa/reports/:id/signature", bodyLimit(UPLOAD_LIMIT_BYTES));
  router.openapi(
    createRoute({
      method: "put",
      path: "/entities/{ipa}/reports/{id}/signature",
      tags,
      security,
      summary: "Upload a signature made elsewhere: the stored PDF signed as .p7m (CAdES) or as a signed PDF (PAdES)",
      description:
        "Accepted only if it verifies against the gateway's trust anchors, signs exactly the stored PDF, " +
        "and a signer's fiscal code belongs to a secretary of the entity. A refusal lists its reasons.",
      request: {
        params: ReportParams,
        body: {
          required: true,
          content: {
            "application/pkcs7-mime": { schema: z.string().openapi({ format: "binary" }) },
            "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
            "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) },
          },
        },
      },
      responses: { 200: jsonContent(Report, "The signed report"), ...problemResponses(400, 401, 403, 404, 409, 413) },
    }),
    async (c) => {
      const { ipa, id } = c.req.valid("param");
      const principal = requireAccess(c, await entityId(ipa), "sign");
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      return c.json(view(ipa, await deps.signing.acceptUpload(ipa, id, principal.name, bytes)), 200);
    },
  );
  return router;
}
