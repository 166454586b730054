import { createHash } from "node:crypto";
import type { Clock } from "../shared/clock.js";
import type { Language } from "../shared/domain.js";
import { AppError } from "../shared/errors.js";
import type {
  Artifact,
  ArtifactFormat,
  ReportEntity,
  ReportRecord,
  ReportRepository,
} from "./adapters/report-repository.js";
import { buildReport } from "./domain/build-report.js";
import { lastPeriods, parsePeriod, previousPeriod, samePeriodYearAgo } from "./domain/period.js";
import type { ReportDocument, ReportInputs, ReportPeriod } from "./domain/report-document.js";
import { type ReportEvent, reportTransition } from "./domain/report-lifecycle.js";
import { renderCsv } from "./render/csv.js";
import { renderJson } from "./render/json.js";
import { renderPdf } from "./render/pdf.js";

/**
 * Report use cases (issue 4): generate or regenerate a draft, list, read the
 * files, approve and reopen. Rendering is a pure function of the database
 * content and the report record's `generatedAt`, so the same record always
 * gives the same bytes (`reproduce` proves it for a stored report).
 */

export type ReportStep = "reading" | "json" | "csv" | "pdf" | "saving";

export interface GenerateRequest {
  ipaCode: string;
  /** `2026-10`, `2026-Q4`, `2026`, or `2026-10-01..2026-10-15`. */
  period: string;
  language?: Language;
  /** Who asked: `scheduler`, `cli`, or the staff token's name. */
  by: string;
  onStep?: (step: ReportStep) => void;
}

export interface ReportsDeps {
  repo: ReportRepository;
  clock: Clock;
  softwareVersion: string;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * The three files of a report from its inputs: the CSV and PDF first, then
 * the JSON that carries their SHA-256. `onStep` is called as each file starts.
 */
export async function renderReportFiles(
  inputs: ReportInputs,
  onStep: (step: ReportStep) => void = () => {},
): Promise<Artifact[]> {
  const draft = buildReport(inputs, { csv: { sha256: "" }, pdf: { sha256: "" } });
  onStep("csv");
  const csv = renderCsv(draft);
  onStep("pdf");
  const pdf = await renderPdf(draft);
  onStep("json");
  const doc: ReportDocument = { ...draft, artifacts: { csv: { sha256: sha256(csv) }, pdf: { sha256: sha256(pdf) } } };
  const json = renderJson(doc);
  return [
    { format: "json", content: json, sha256: sha256(json) },
    { format: "csv", content: csv, sha256: sha256(csv) },
    { format: "pdf", content: pdf, sha256: sha256(pdf) },
  ];
}

export function createReports({ repo, clock, softwareVersion }: ReportsDeps) {
  async function entityOf(ipaCode: string): Promise<ReportEntity> {
    const entity = await repo.entityByIpa(ipaCode);
    if (!entity) throw new AppError("RESOURCE_NOT_FOUND", `entity ${ipaCode} not found`);
    return entity;
  }

  function periodOf(label: string, entity: ReportEntity): ReportPeriod {
    let period: ReportPeriod;
    try {
      period = parsePeriod(label, entity.timezone);
    } catch (error) {
      throw new AppError("REPORT_PERIOD_INVALID", error instanceof Error ? error.message : String(error));
    }
    if (new Date(period.start) > clock.now()) {
      throw new AppError("REPORT_PERIOD_INVALID", `the period ${period.label} has not started yet`);
    }
    return period;
  }

  /** The three files of a report, from the database as it is now, dated `generatedAt`. */
  async function render(
    entity: ReportEntity,
    period: ReportPeriod,
    language: Language,
    generatedAt: Date,
    onStep: (step: ReportStep) => void = () => {},
  ): Promise<Artifact[]> {
    onStep("reading");
    const trend = lastPeriods(period, 12).slice(0, -1);
    const data = await repo.inputs(entity, period, {
      previous: previousPeriod(period),
      yearAgo: samePeriodYearAgo(period),
      trend,
    });
    const inputs: ReportInputs = {
      entity: {
        ipaCode: entity.ipaCode,
        name: entity.name,
        timezone: entity.timezone,
        minCellSize: entity.minCellSize,
      },
      period,
      language,
      generatedAt: generatedAt.toISOString(),
      softwareVersion,
      ...data,
    };
    return renderReportFiles(inputs, onStep);
  }

  async function requireReport(ipaCode: string, id: string): Promise<{ entity: ReportEntity; record: ReportRecord }> {
    const entity = await entityOf(ipaCode);
    const record = await repo.get(entity.id, id);
    if (!record) throw new AppError("RESOURCE_NOT_FOUND", `report ${id} not found`);
    return { entity, record };
  }

  async function move(ipaCode: string, id: string, event: ReportEvent, by: string): Promise<ReportRecord> {
    const { entity, record } = await requireReport(ipaCode, id);
    const outcome = reportTransition(record.status, event);
    if (!outcome.ok) throw new AppError("REPORT_STATE_CONFLICT", outcome.reason);
    const approval = event === "approve" ? { at: clock.now(), by } : event === "reopen" ? null : undefined;
    if (!(await repo.setStatus(record.id, record.status, outcome.status, approval))) {
      throw new AppError("REPORT_STATE_CONFLICT", "the report changed meanwhile: reload and retry");
    }
    return (await repo.get(entity.id, id)) as ReportRecord;
  }

  return {
    /**
     * Makes the draft for a period, or regenerates the existing draft. Refused
     * once the report is approved (reopen it first) or signed (final).
     * `created` is false when another process made the same report first.
     */
    async generate(request: GenerateRequest): Promise<{ record: ReportRecord; created: boolean }> {
      const entity = await entityOf(request.ipaCode);
      const period = periodOf(request.period, entity);
      const language = request.language ?? "it";
      const existing = await repo.find(entity.id, period.kind, period.label, language);
      if (existing) {
        const outcome = reportTransition(existing.status, "regenerate");
        if (!outcome.ok) throw new AppError("REPORT_STATE_CONFLICT", outcome.reason);
      }
      const generatedAt = clock.now();
      const artifacts = await render(entity, period, language, generatedAt, request.onStep);
      request.onStep?.("saving");
      const id = await repo.saveDraft({
        entityId: entity.id,
        period,
        language,
        generatedAt,
        generatedBy: request.by,
        artifacts,
        replaces: existing ? { id: existing.id, generation: existing.generation } : null,
      });
      const record = await repo.find(entity.id, period.kind, period.label, language);
      if (!record) throw new AppError("INTERNAL_ERROR", "the report vanished after saving");
      return { record, created: id !== null };
    },

    /** Renders a stored report again from its record and reports whether every file comes out identical. */
    async reproduce(ipaCode: string, id: string): Promise<{ identical: boolean; formats: Record<string, boolean> }> {
      const { entity, record } = await requireReport(ipaCode, id);
      const period = parsePeriod(record.periodLabel, entity.timezone);
      const again = await render(entity, period, record.language, record.generatedAt);
      const formats: Record<string, boolean> = {};
      for (const artifact of again) {
        formats[artifact.format] =
          record.artifacts.find((a) => a.format === artifact.format)?.sha256 === artifact.sha256;
      }
      return { identical: Object.values(formats).every(Boolean), formats };
    },

    async list(ipaCode: string): Promise<ReportRecord[]> {
      return repo.list((await entityOf(ipaCode)).id);
    },
    async get(ipaCode: string, id: string): Promise<ReportRecord> {
      return (await requireReport(ipaCode, id)).record;
    },
    async artifact(ipaCode: string, id: string, format: ArtifactFormat): Promise<Artifact> {
      const { record } = await requireReport(ipaCode, id);
      const artifact = await repo.artifact(record.id, format);
      if (!artifact) throw new AppError("RESOURCE_NOT_FOUND", `report ${id} has no ${format} file`);
      return artifact;
    },
    approve: (ipaCode: string, id: string, by: string) => move(ipaCode, id, "approve", by),
    reopen: (ipaCode: string, id: string, by: string) => move(ipaCode, id, "reopen", by),
    periodOf: async (ipaCode: string, label: string) => periodOf(label, await entityOf(ipaCode)),
  };
}

export type Reports = ReturnType<typeof createReports>;
