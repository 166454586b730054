import type { Language } from "../../shared/domain.js";
import { compareText, coverageOf, dataQualityOf } from "./data-quality.js";
import { percentOf, pointsChange } from "./percent.js";
import type {
  JudgmentCounts,
  PeriodComparison,
  ReasonCount,
  ReportDocument,
  ReportInputs,
  ReportPeriod,
  ServiceRow,
  VoteCountRow,
} from "./report-document.js";
import { LEGAL_BASIS, NO_DESK_NAME, NO_REASON_LABEL } from "./report-labels.js";
import {
  addRow,
  CHANNEL_ORDER,
  type DraftOffice,
  type DraftService,
  draftOffices,
  type ReasonRef,
  type RowRef,
  relateSum,
  servicesOf,
  sumRow,
} from "./report-tree.js";
import { type CellSheet, createCellSheet, publishCell } from "./suppression.js";
import { type ServiceTally, serviceTotal, sumTallies, tallyByService, tallyTotal } from "./tally.js";

/**
 * Builds the satisfaction report (issue 4 "Content") from plain inputs; pure
 * and deterministic: the same inputs give an equal document, whatever the
 * order of the vote rows. Two passes: the whole report is first laid out as
 * cells and the relations between them, then suppression is decided once
 * (see suppression.ts) and the published document is read off.
 *
 * `artifacts` carries the SHA-256 of the CSV and PDF; those are rendered from
 * the document itself, so callers build once with placeholders, render, and
 * replace `artifacts` (the renderers never read it).
 */
export function buildReport(inputs: ReportInputs, artifacts: ReportDocument["artifacts"]): ReportDocument {
  const { entity, language } = inputs;
  if (!Number.isInteger(entity.minCellSize) || entity.minCellSize < 1) {
    throw new RangeError(`minCellSize ${entity.minCellSize} must be a positive integer`);
  }
  const sheet = createCellSheet();
  const { current, offices, totals, channels, entityReasons, previous, yearAgo, trend } = draftReport(sheet, inputs);
  const out = publisher(sheet, sheet.solve(entity.minCellSize));
  const totalCounts = out.counts(totals);
  return {
    schemaVersion: 1,
    entity: { ipaCode: entity.ipaCode, name: entity.name, timezone: entity.timezone },
    period: copyPeriod(inputs.period),
    language,
    generatedAt: inputs.generatedAt,
    softwareVersion: inputs.softwareVersion,
    minCellSize: entity.minCellSize,
    legalBasis: [...LEGAL_BASIS],
    totals: totalCounts,
    channels: channels.map(({ channel, row }) => ({ channel, counts: out.counts(row) })),
    reasons: out.reasons(entityReasons, totals),
    previous: out.comparison(previous.period, previous.entity, totalCounts.satisfactionIndex),
    yearAgo: out.comparison(yearAgo.period, yearAgo.entity, totalCounts.satisfactionIndex),
    trend: [
      ...trend.map(({ period, row }) => ({
        period: copyPeriod(period),
        total: row.total,
        satisfactionIndex: out.index(row),
      })),
      { period: copyPeriod(inputs.period), total: totalCounts.total, satisfactionIndex: totalCounts.satisfactionIndex },
    ],
    offices: publishOffices(offices, out, { previous, yearAgo }),
    coverage: coverageOf(inputs, current),
    dataQuality: dataQualityOf(inputs),
    artifacts: { csv: { sha256: artifacts.csv.sha256 }, pdf: { sha256: artifacts.pdf.sha256 } },
  };
}

/** First pass: every cell of the report and the relations between them. */
function draftReport(sheet: CellSheet, inputs: ReportInputs) {
  const { language } = inputs;
  const current = tallyByService(inputs.votes);
  const offices = draftOffices(
    {
      sheet,
      current,
      served: servedIndex(inputs.served),
      reasons: reasonsInOrder(inputs, current),
      serviceName: (service) => service.names[language] ?? service.name,
      noDeskName: NO_DESK_NAME[language],
    },
    inputs,
  );
  const services = servicesOf(offices);
  const totals = sumRow(
    sheet,
    offices.map((office) => office.row),
  );
  const channels = draftEntityChannels(sheet, services, totals);
  const entityReasons = draftEntityReasons(sheet, services, totals);
  const previous = draftComparison(sheet, inputs.previous, services);
  const yearAgo = draftComparison(sheet, inputs.yearAgo, services);
  // A trend point for the previous period (or the year-ago one) shares its cells, so both agree on suppression.
  const trend = inputs.trend.map((point) => {
    const same = [previous, yearAgo].find(
      (c) => c.period.kind === point.period.kind && c.period.label === point.period.label,
    );
    return { period: point.period, row: same?.entity ?? addRow(sheet, point) };
  });
  return { current, offices, totals, channels, entityReasons, previous, yearAgo, trend };
}

/** Catalogue reasons in catalogue order, then codes found only in votes (a reason since retired) by code, then "no reason". */
function reasonsInOrder(inputs: ReportInputs, current: Map<string, ServiceTally>) {
  const language: Language = inputs.language;
  const listed = inputs.catalogue.reasons.map((reason) => ({
    code: reason.code,
    label: reason.labels[language] ?? reason.label,
  }));
  const known = new Set(listed.map((reason) => reason.code));
  const retired = new Set<string>();
  for (const tally of current.values()) {
    for (const code of tally.reasons.keys()) if (code !== null && !known.has(code)) retired.add(code);
  }
  const others = [...retired].sort(compareText).map((code) => ({ code, label: code }));
  return [...listed, ...others, { code: null, label: NO_REASON_LABEL[language] }];
}

function servedIndex(served: ReportInputs["served"]): Map<string, number> {
  const index = new Map<string, number>();
  for (const item of served) {
    const key = `${item.serviceId}|${item.channel}`;
    index.set(key, (index.get(key) ?? 0) + item.count);
  }
  return index;
}

/** Entity totals per channel: each the sum of the services' rows for that channel; together, the totals. */
function draftEntityChannels(sheet: CellSheet, services: readonly DraftService[], totals: RowRef) {
  const channels = CHANNEL_ORDER.flatMap((channel) => {
    const rows = services.flatMap((service) => service.channels.filter((c) => c.channel === channel).map((c) => c.row));
    return rows.length === 0 ? [] : [{ channel, row: sumRow(sheet, rows) }];
  });
  relateSum(
    sheet,
    totals,
    channels.map(({ row }) => row),
  );
  return channels;
}

/** Entity reasons: each the sum over services; together, the entity's negative cell. */
function draftEntityReasons(sheet: CellSheet, services: readonly DraftService[], totals: RowRef): ReasonRef[] {
  const first = services[0]?.reasons ?? [];
  const reasons = first.map(({ code, label }, index) => {
    const cells = services.map((service) => service.reasons[index]?.cell ?? -1).filter((cell) => cell >= 0);
    const cell = sheet.add(cells.reduce((sum, c) => sum + sheet.count(c), 0));
    sheet.sum(cell, cells);
    return { code, label, cell };
  });
  sheet.sum(
    totals.cells.negative,
    reasons.map((reason) => reason.cell),
  );
  return reasons;
}

interface DraftComparison {
  period: ReportPeriod;
  entity: RowRef;
  services: Map<string, RowRef>;
}

/**
 * Another period's rows for the comparison: one per shown service, and the
 * entity's as their sum. Votes of services not shown this period make a
 * hidden row, so their sum is never taken as known.
 */
function draftComparison(
  sheet: CellSheet,
  other: { period: ReportPeriod; votes: VoteCountRow[] },
  services: readonly DraftService[],
): DraftComparison {
  const tallies = tallyByService(other.votes);
  const rows = new Map(
    services.map(({ service }) => [service.id, addRow(sheet, serviceTotal(tallies.get(service.id)))]),
  );
  const rest = sumTallies([...tallies].filter(([id]) => !rows.has(id)).map(([, tally]) => serviceTotal(tally)));
  const children = [...rows.values()];
  if (tallyTotal(rest) > 0) children.push(addRow(sheet, rest, true));
  return { period: other.period, entity: sumRow(sheet, children), services: rows };
}

type Publisher = ReturnType<typeof publisher>;

/** Reads published figures off the sheet once suppression is decided. */
function publisher(sheet: CellSheet, isSuppressed: (cell: number) => boolean) {
  const index = (row: RowRef) =>
    isSuppressed(row.cells.positive) ? null : percentOf(sheet.count(row.cells.positive), row.total);
  return {
    index,
    counts(row: RowRef): JudgmentCounts {
      const cell = (id: number) => publishCell(sheet.count(id), isSuppressed(id), row.total);
      const positive = cell(row.cells.positive);
      const sufficient = cell(row.cells.sufficient);
      const negative = cell(row.cells.negative);
      return { total: row.total, positive, sufficient, negative, satisfactionIndex: positive.percent };
    },
    /** Reasons as shares of the negative votes; no shares when the negative count is hidden. */
    reasons(reasons: readonly ReasonRef[], row: RowRef): ReasonCount[] {
      const negative = row.cells.negative;
      const whole = isSuppressed(negative) ? null : sheet.count(negative);
      return reasons.map(({ code, label, cell }) => ({
        code,
        label,
        cell: publishCell(sheet.count(cell), isSuppressed(cell), whole),
      }));
    },
    comparison(period: ReportPeriod, row: RowRef, currentIndex: number | null): PeriodComparison {
      const satisfactionIndex = index(row);
      return {
        period: copyPeriod(period),
        total: row.total,
        satisfactionIndex,
        indexChange: pointsChange(currentIndex, satisfactionIndex),
      };
    },
  };
}

interface Comparisons {
  previous: DraftComparison;
  yearAgo: DraftComparison;
}

function publishOffices(
  offices: readonly DraftOffice[],
  out: Publisher,
  comparisons: Comparisons,
): ReportDocument["offices"] {
  return offices.map((office) => ({
    id: office.id,
    name: office.name,
    counts: out.counts(office.row),
    desks: office.desks.map((desk) => ({
      id: desk.id,
      name: desk.name,
      counts: out.counts(desk.row),
      services: desk.services.map((service) => publishService(service, out, comparisons)),
    })),
  }));
}

function publishService(draft: DraftService, out: Publisher, comparisons: Comparisons): ServiceRow {
  const counts = out.counts(draft.row);
  const compare = (which: DraftComparison) => {
    const row = which.services.get(draft.service.id);
    if (!row) throw new RangeError(`no comparison row for service ${draft.service.id}`);
    return out.comparison(which.period, row, counts.satisfactionIndex);
  };
  return {
    id: draft.service.id,
    code: draft.service.code,
    name: draft.name,
    counts,
    channels: draft.channels.map(({ channel, row, served }) => ({
      channel,
      counts: out.counts(row),
      served,
      participationRate: served === null ? null : percentOf(row.total, served),
    })),
    reasons: out.reasons(draft.reasons, draft.row),
    previous: compare(comparisons.previous),
    yearAgo: compare(comparisons.yearAgo),
  };
}

/** A fresh period object with its keys in the contract's order. */
export function copyPeriod(period: ReportPeriod): ReportPeriod {
  const { kind, label, firstDay, lastDay, timezone, start, end } = period;
  return { kind, label, firstDay, lastDay, timezone, start, end };
}
