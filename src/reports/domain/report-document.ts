import type { Channel, Judgment, Language, Translations } from "../../shared/domain.js";

/**
 * The satisfaction report, version 1: the contract between the aggregation
 * (build-report.ts, pure), the three renderings (JSON, CSV, PDF) and the
 * JSON Schema shipped in `schemas/report-v1.schema.json`. Issue 4 "Content".
 *
 * Everything here is data; nothing reads a clock or the database.
 */

export type PeriodKind = "month" | "quarter" | "year" | "custom";

/** A reporting period: local calendar dates in the entity's timezone, and the UTC instants they bound. */
export interface ReportPeriod {
  kind: PeriodKind;
  /** `2026-10`, `2026-Q4`, `2026`, or `2026-10-01..2026-10-15` for a custom range. */
  label: string;
  /** First local date, inclusive (`YYYY-MM-DD`). */
  firstDay: string;
  /** Last local date, inclusive (`YYYY-MM-DD`). */
  lastDay: string;
  timezone: string;
  /** UTC instant of local midnight starting `firstDay` (RFC 3339, `Z`). */
  start: string;
  /** UTC instant of local midnight after `lastDay`: exclusive end. */
  end: string;
}

/**
 * One count in a published table. Counts from 1 to `minCellSize - 1` are
 * suppressed (primary suppression), and so is a second cell of the same row
 * when only one would be hidden (secondary suppression), so that nobody can
 * compute a hidden count back from the row total. Totals are never hidden.
 */
export interface Cell {
  /** The count, or null when suppressed. */
  count: number | null;
  suppressed: boolean;
  /** Share of the row total in percent, one decimal; null when suppressed or the total is 0. */
  percent: number | null;
}

/** Votes per judgment for one row of a table, with its exact total. */
export interface JudgmentCounts {
  total: number;
  positive: Cell;
  sufficient: Cell;
  negative: Cell;
  /** % positive of the total (MLF's satisfaction index), one decimal; null when suppressed or no votes. */
  satisfactionIndex: number | null;
}

export interface ReasonCount {
  /** Reason code, or null for a negative vote without a reason ("Preferisco non indicarlo"). */
  code: string | null;
  label: string;
  cell: Cell;
}

/** The same measure in another period, for comparison (exact totals; no cells). */
export interface PeriodComparison {
  period: ReportPeriod;
  total: number;
  satisfactionIndex: number | null;
  /** Difference of this period's index minus that period's, in percentage points; null if either is null. */
  indexChange: number | null;
}

export interface ChannelRow {
  channel: Channel;
  counts: JudgmentCounts;
  /** Users served in the period for this service and channel, when imported. */
  served: number | null;
  /** Votes ÷ users served, percent with one decimal; null without a served count. */
  participationRate: number | null;
}

export interface ServiceRow {
  id: string;
  code: string;
  name: string;
  counts: JudgmentCounts;
  channels: ChannelRow[];
  /** Reasons of the negative votes, catalogue order then "no reason". */
  reasons: ReasonCount[];
  previous: PeriodComparison;
  yearAgo: PeriodComparison;
}

export interface DeskRow {
  /** Null for services not attached to a desk. */
  id: string | null;
  name: string;
  counts: JudgmentCounts;
  services: ServiceRow[];
}

export interface OfficeRow {
  id: string;
  name: string;
  counts: JudgmentCounts;
  desks: DeskRow[];
}

export interface TrendPoint {
  period: ReportPeriod;
  total: number;
  satisfactionIndex: number | null;
}

export interface KioskAvailability {
  id: string;
  name: string;
  officeName: string;
  daysWithHeartbeat: number;
  daysOffline: number;
  votes: number;
}

export interface DataQuality {
  suspectedRepeatsExcluded: number;
  /** Votes received in this period but cast in an earlier one (they count in their own period). */
  lateVotes: { total: number; byPeriod: Array<{ period: string; count: number }> };
  kiosks: KioskAvailability[];
  rejectedAtGateway: { total: number; byCode: Array<{ code: string; count: number }> };
}

export interface Coverage {
  servicesConfigured: number;
  servicesActive: number;
  kiosksConfigured: number;
  kiosksActive: number;
}

/** The whole report as published in JSON (`schemaVersion` 1). */
export interface ReportDocument {
  schemaVersion: 1;
  entity: { ipaCode: string; name: string; timezone: string };
  period: ReportPeriod;
  language: Language;
  /** From the report record, so regenerating from the same data gives the same bytes. */
  generatedAt: string;
  softwareVersion: string;
  minCellSize: number;
  legalBasis: string[];
  totals: JudgmentCounts;
  channels: Array<{ channel: Channel; counts: JudgmentCounts }>;
  reasons: ReasonCount[];
  previous: PeriodComparison;
  yearAgo: PeriodComparison;
  /** The last 12 periods of the same kind, oldest first, this one last. */
  trend: TrendPoint[];
  offices: OfficeRow[];
  coverage: Coverage;
  dataQuality: DataQuality;
  /** SHA-256 (hex) of the CSV and PDF made together with this JSON. */
  artifacts: { csv: { sha256: string }; pdf: { sha256: string } };
}

/** Votes grouped as the database returns them (suspected repeats already excluded). */
export interface VoteCountRow {
  officeId: string;
  deskId: string | null;
  serviceId: string;
  channel: Channel;
  judgment: Judgment;
  reasonCode: string | null;
  count: number;
}

/** Everything `buildReport` needs: read by the repository, passed in as plain data. */
export interface ReportInputs {
  entity: { ipaCode: string; name: string; timezone: string; minCellSize: number };
  period: ReportPeriod;
  language: Language;
  generatedAt: string;
  softwareVersion: string;
  catalogue: {
    offices: Array<{ id: string; name: string }>;
    desks: Array<{ id: string; officeId: string; name: string }>;
    /** Services of the entity, display order; inactive ones only matter when they have votes. */
    services: Array<{
      id: string;
      code: string;
      name: string;
      names: Translations;
      officeId: string;
      deskId: string | null;
      active: boolean;
    }>;
    reasons: Array<{ code: string; label: string; labels: Translations }>;
  };
  votes: VoteCountRow[];
  previous: { period: ReportPeriod; votes: VoteCountRow[] };
  yearAgo: { period: ReportPeriod; votes: VoteCountRow[] };
  /** The 11 periods before this one, oldest first, with their votes per judgment. */
  trend: Array<{ period: ReportPeriod; positive: number; sufficient: number; negative: number }>;
  served: Array<{ serviceId: string; channel: Channel; count: number }>;
  kiosks: Array<{
    id: string;
    name: string;
    officeId: string;
    daysWithHeartbeat: number;
    votes: number;
    active: boolean;
  }>;
  quality: {
    suspectedRepeats: number;
    late: Array<{ period: string; count: number }>;
    rejections: Array<{ code: string; count: number }>;
  };
}
