import { and, asc, desc, eq, sql } from "drizzle-orm";
import { type Database, tables } from "../../db/index.js";
import type { Language } from "../../shared/domain.js";
import type { PeriodKind, ReportInputs, ReportPeriod, VoteCountRow } from "../domain/report-document.js";
import type { ReportStatus } from "../domain/report-lifecycle.js";
import {
  createVoteCountQueries,
  kioskActivity,
  qualityCounts,
  servedCounts,
  type VoteCountByReasonId,
} from "./report-queries.js";

const { entities, offices, desks, services, reasons, reports, reportArtifacts, staffUsers } = tables;

/** The files a report may have: the three renderings, then the signed ones (issue 5). */
export const ARTIFACT_FORMATS = ["json", "csv", "pdf", "pdf.p7m", "json.p7m", "signed.pdf"] as const;
export type ArtifactFormat = (typeof ARTIFACT_FORMATS)[number];

/** How a report was signed: by the gateway's configured signer, or uploaded after signing elsewhere. */
export interface SignatureRecord {
  at: Date;
  /** The signer's certificate subject, and who asked (token name). */
  by: string;
  source: "gateway" | "upload";
}

export interface ReportEntity {
  id: string;
  ipaCode: string;
  name: string;
  timezone: string;
  minCellSize: number;
  reportDayOfMonth: number;
  reportHour: number;
  createdAt: Date;
}

export interface ReportRecord {
  id: string;
  entityId: string;
  periodKind: PeriodKind;
  periodLabel: string;
  firstDay: string;
  lastDay: string;
  language: Language;
  status: ReportStatus;
  generation: number;
  generatedAt: Date;
  generatedBy: string;
  approvedAt: Date | null;
  approvedBy: string | null;
  signature: SignatureRecord | null;
  artifacts: Array<{ format: ArtifactFormat; sha256: string; bytes: number }>;
}

export interface Artifact {
  format: ArtifactFormat;
  content: Uint8Array;
  sha256: string;
}

export interface DraftToSave {
  entityId: string;
  period: ReportPeriod;
  language: Language;
  generatedAt: Date;
  generatedBy: string;
  artifacts: Artifact[];
  /** The record being regenerated (its generation), or null for a new report. */
  replaces: { id: string; generation: number } | null;
}

const ENTITY_COLUMNS = {
  id: entities.id,
  ipaCode: entities.ipaCode,
  name: entities.name,
  timezone: entities.timezone,
  minCellSize: entities.minCellSize,
  reportDayOfMonth: entities.reportDayOfMonth,
  reportHour: entities.reportHour,
  createdAt: entities.createdAt,
};

export function createReportRepository(db: Database) {
  const counts = createVoteCountQueries(db);
  async function artifactsOf(reportIds: string[]) {
    if (reportIds.length === 0) return new Map<string, ReportRecord["artifacts"]>();
    const rows = await db
      .select({
        reportId: reportArtifacts.reportId,
        format: reportArtifacts.format,
        sha256: reportArtifacts.sha256,
        bytes: reportArtifacts.bytes,
      })
      .from(reportArtifacts)
      .where(sql`${reportArtifacts.reportId} = any(${`{${reportIds.join(",")}}`}::uuid[])`)
      .orderBy(asc(reportArtifacts.format));
    const byReport = new Map<string, ReportRecord["artifacts"]>();
    for (const row of rows) {
      const list = byReport.get(row.reportId) ?? [];
      list.push({ format: row.format as ArtifactFormat, sha256: row.sha256, bytes: row.bytes });
      byReport.set(row.reportId, list);
    }
    return byReport;
  }

  async function records(where: ReturnType<typeof and>): Promise<ReportRecord[]> {
    const rows = await db.select().from(reports).where(where).orderBy(desc(reports.firstDay), asc(reports.language));
    const artifacts = await artifactsOf(rows.map((r) => r.id));
    return rows.map((row) => ({
      id: row.id,
      entityId: row.entityId,
      periodKind: row.periodKind as PeriodKind,
      periodLabel: row.periodLabel,
      firstDay: row.firstDay,
      lastDay: row.lastDay,
      language: row.language as Language,
      status: row.status as ReportStatus,
      generation: row.generation,
      generatedAt: row.generatedAt,
      generatedBy: row.generatedBy,
      approvedAt: row.approvedAt,
      approvedBy: row.approvedBy,
      signature:
        row.signedAt && row.signedBy && row.signatureSource
          ? { at: row.signedAt, by: row.signedBy, source: row.signatureSource as SignatureRecord["source"] }
          : null,
      artifacts: artifacts.get(row.id) ?? [],
    }));
  }

  return {
    async entityByIpa(ipaCode: string): Promise<ReportEntity | null> {
      const [row] = await db.select(ENTITY_COLUMNS).from(entities).where(eq(entities.ipaCode, ipaCode));
      return row ?? null;
    },
    async entityById(id: string): Promise<ReportEntity | null> {
      const [row] = await db.select(ENTITY_COLUMNS).from(entities).where(eq(entities.id, id));
      return row ?? null;
    },
    allEntities: () => db.select(ENTITY_COLUMNS).from(entities).orderBy(asc(entities.ipaCode)),

    list: (entityId: string) => records(and(eq(reports.entityId, entityId))),
    async get(entityId: string, id: string): Promise<ReportRecord | null> {
      return (await records(and(eq(reports.entityId, entityId), eq(reports.id, id))))[0] ?? null;
    },
    async find(entityId: string, kind: PeriodKind, label: string, language: Language): Promise<ReportRecord | null> {
      const where = and(
        eq(reports.entityId, entityId),
        eq(reports.periodKind, kind),
        eq(reports.periodLabel, label),
        eq(reports.language, language),
      );
      return (await records(where))[0] ?? null;
    },
    async artifact(reportId: string, format: ArtifactFormat): Promise<Artifact | null> {
      const [row] = await db
        .select({ content: reportArtifacts.content, sha256: reportArtifacts.sha256 })
        .from(reportArtifacts)
        .where(and(eq(reportArtifacts.reportId, reportId), eq(reportArtifacts.format, format)));
      return row ? { format, content: new Uint8Array(row.content), sha256: row.sha256 } : null;
    },

    /**
     * Stores the signed files and moves the report from approved to signed, in one transaction.
     * Returns false when the report was no longer approved (another request signed or reopened it).
     */
    async saveSigned(reportId: string, artifacts: Artifact[], signature: SignatureRecord): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(reports)
          .set({
            status: "signed",
            signedAt: signature.at,
            signedBy: signature.by,
            signatureSource: signature.source,
            updatedAt: sql`now()`,
          })
          .where(and(eq(reports.id, reportId), eq(reports.status, "approved")))
          .returning({ id: reports.id });
        if (!row) return false;
        await tx.insert(reportArtifacts).values(
          artifacts.map((a) => ({
            reportId,
            format: a.format,
            content: a.content,
            sha256: a.sha256,
            bytes: a.content.length,
          })),
        );
        return true;
      });
    },

    /** Fiscal codes of the entity's staff with the secretary role (who may upload a signature). */
    async secretaryFiscalCodes(entityId: string): Promise<Set<string>> {
      const rows = await db
        .select({ fiscalCode: staffUsers.fiscalCode })
        .from(staffUsers)
        .where(and(eq(staffUsers.entityId, entityId), eq(staffUsers.role, "secretary")));
      return new Set(rows.map((r) => r.fiscalCode.toUpperCase()));
    },

    /**
     * Stores a draft and its files in one transaction. A new report is
     * inserted only if no other process made the same one first (unique key:
     * entity, period, language); a regeneration only if the record is still
     * the draft generation it read. Returns null when it lost either race.
     */
    async saveDraft(draft: DraftToSave): Promise<string | null> {
      return db.transaction(async (tx) => {
        let id: string | undefined;
        if (draft.replaces) {
          const [row] = await tx
            .update(reports)
            .set({
              generation: draft.replaces.generation + 1,
              generatedAt: draft.generatedAt,
              generatedBy: draft.generatedBy,
              updatedAt: sql`now()`,
            })
            .where(
              and(
                eq(reports.id, draft.replaces.id),
                eq(reports.status, "draft"),
                eq(reports.generation, draft.replaces.generation),
              ),
            )
            .returning({ id: reports.id });
          id = row?.id;
          if (id) await tx.delete(reportArtifacts).where(eq(reportArtifacts.reportId, id));
        } else {
          const [row] = await tx
            .insert(reports)
            .values({
              entityId: draft.entityId,
              periodKind: draft.period.kind,
              periodLabel: draft.period.label,
              firstDay: draft.period.firstDay,
              lastDay: draft.period.lastDay,
              language: draft.language,
              generatedAt: draft.generatedAt,
              generatedBy: draft.generatedBy,
            })
            .onConflictDoNothing({
              target: [reports.entityId, reports.periodKind, reports.periodLabel, reports.language],
            })
            .returning({ id: reports.id });
          id = row?.id;
        }
        if (!id) return null;
        await tx.insert(reportArtifacts).values(
          draft.artifacts.map((a) => ({
            reportId: id,
            format: a.format,
            content: a.content,
            sha256: a.sha256,
            bytes: a.content.length,
          })),
        );
        return id;
      });
    },

    /** Moves a report from `from` to `to`; false when it was no longer in `from` (a concurrent change). */
    async setStatus(
      id: string,
      from: ReportStatus,
      to: ReportStatus,
      approval?: { at: Date; by: string } | null,
    ): Promise<boolean> {
      const rows = await db
        .update(reports)
        .set({
          status: to,
          updatedAt: sql`now()`,
          ...(approval === undefined ? {} : { approvedAt: approval?.at ?? null, approvedBy: approval?.by ?? null }),
        })
        .where(and(eq(reports.id, id), eq(reports.status, from)))
        .returning({ id: reports.id });
      return rows.length === 1;
    },

    /** Everything the report of `entity` for `period` is computed from. */
    async inputs(
      entity: ReportEntity,
      period: ReportPeriod,
      comparison: { previous: ReportPeriod; yearAgo: ReportPeriod; trend: ReportPeriod[] },
    ): Promise<Omit<ReportInputs, "entity" | "period" | "language" | "generatedAt" | "softwareVersion">> {
      const [{ catalogue, reasonCodes }, votes, previous, yearAgo, trend, served, kiosks, quality] = await Promise.all([
        catalogueOf(db, entity.id),
        counts.voteCounts(entity.id, period),
        counts.voteCounts(entity.id, comparison.previous),
        counts.voteCounts(entity.id, comparison.yearAgo),
        counts.trendCounts(entity.id, comparison.trend),
        servedCounts(db, entity.id, period),
        kioskActivity(db, entity.id, period),
        qualityCounts(db, entity, period),
      ]);
      // Reasons by code, as the report names them; a retired reason keeps its code.
      const named = (rows: VoteCountByReasonId[]): VoteCountRow[] =>
        rows.map(({ reasonId, ...row }) => ({
          ...row,
          reasonCode: reasonId ? (reasonCodes.get(reasonId) ?? null) : null,
        }));
      return {
        catalogue,
        votes: named(votes),
        previous: { period: comparison.previous, votes: named(previous) },
        yearAgo: { period: comparison.yearAgo, votes: named(yearAgo) },
        trend,
        served,
        kiosks,
        quality,
      };
    },
  };
}

export type ReportRepository = ReturnType<typeof createReportRepository>;

/** The entity's catalogue, and the code of every reason it ever had (active or not) by id. */
async function catalogueOf(
  db: Database,
  entityId: string,
): Promise<{ catalogue: ReportInputs["catalogue"]; reasonCodes: Map<string, string> }> {
  const [officeRows, deskRows, serviceRows, reasonRows] = await Promise.all([
    db
      .select({ id: offices.id, name: offices.name })
      .from(offices)
      .where(eq(offices.entityId, entityId))
      .orderBy(asc(offices.name), asc(offices.id)),
    db
      .select({ id: desks.id, officeId: desks.officeId, name: desks.name })
      .from(desks)
      .where(eq(desks.entityId, entityId))
      .orderBy(asc(desks.name), asc(desks.id)),
    db
      .select({
        id: services.id,
        code: services.code,
        name: services.name,
        names: services.names,
        officeId: desks.officeId,
        deskId: services.deskId,
        active: services.active,
      })
      .from(services)
      .innerJoin(desks, eq(desks.id, services.deskId))
      .where(eq(services.entityId, entityId))
      .orderBy(asc(services.sortOrder), asc(services.name), asc(services.id)),
    db
      .select({
        id: reasons.id,
        code: reasons.code,
        label: reasons.label,
        labels: reasons.labels,
        active: reasons.active,
      })
      .from(reasons)
      .where(eq(reasons.entityId, entityId))
      .orderBy(asc(reasons.sortOrder), asc(reasons.code)),
  ]);
  const activeReasons = reasonRows.filter((r) => r.active).map(({ code, label, labels }) => ({ code, label, labels }));
  return {
    catalogue: { offices: officeRows, desks: deskRows, services: serviceRows, reasons: activeReasons },
    reasonCodes: new Map(reasonRows.map((r) => [r.id, r.code])),
  };
}
