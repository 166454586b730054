import type {
  Cell,
  ChannelRow,
  DataQuality,
  JudgmentCounts,
  OfficeRow,
  PeriodComparison,
  ReasonCount,
  ReportDocument,
  ReportPeriod,
  ServiceRow,
} from "../domain/report-document.js";

/**
 * The report as JSON (issue 4 "Formats"): `schemas/report-v1.schema.json`.
 * Byte-for-byte deterministic: every object is rebuilt with its keys in the
 * order of the `ReportDocument` interface (and of the schema), whatever order
 * the input object was built in, and extra members are dropped; 2-space
 * indent, LF, a final newline, UTF-8 without BOM (RFC 8259 §8.1).
 *
 * @example
 * const bytes = renderJson(doc); // `{\n  "schemaVersion": 1,\n  "entity": {...`
 */
export function renderJson(doc: ReportDocument): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(canonicalDocument(doc), null, 2)}\n`);
}

function canonicalDocument(doc: ReportDocument): ReportDocument {
  const { entity, dataQuality: quality, coverage, artifacts } = doc;
  return {
    schemaVersion: doc.schemaVersion,
    entity: { ipaCode: entity.ipaCode, name: entity.name, timezone: entity.timezone },
    period: period(doc.period),
    language: doc.language,
    generatedAt: doc.generatedAt,
    softwareVersion: doc.softwareVersion,
    minCellSize: doc.minCellSize,
    legalBasis: [...doc.legalBasis],
    totals: counts(doc.totals),
    channels: doc.channels.map((row) => ({ channel: row.channel, counts: counts(row.counts) })),
    reasons: doc.reasons.map(reason),
    previous: comparison(doc.previous),
    yearAgo: comparison(doc.yearAgo),
    trend: doc.trend.map((point) => ({
      period: period(point.period),
      total: point.total,
      satisfactionIndex: point.satisfactionIndex,
    })),
    offices: doc.offices.map(office),
    coverage: {
      servicesConfigured: coverage.servicesConfigured,
      servicesActive: coverage.servicesActive,
      kiosksConfigured: coverage.kiosksConfigured,
      kiosksActive: coverage.kiosksActive,
    },
    dataQuality: dataQuality(quality),
    artifacts: { csv: { sha256: artifacts.csv.sha256 }, pdf: { sha256: artifacts.pdf.sha256 } },
  };
}

function period(p: ReportPeriod): ReportPeriod {
  return {
    kind: p.kind,
    label: p.label,
    firstDay: p.firstDay,
    lastDay: p.lastDay,
    timezone: p.timezone,
    start: p.start,
    end: p.end,
  };
}

function cell(c: Cell): Cell {
  return { count: c.count, suppressed: c.suppressed, percent: c.percent };
}

function counts(c: JudgmentCounts): JudgmentCounts {
  return {
    total: c.total,
    positive: cell(c.positive),
    sufficient: cell(c.sufficient),
    negative: cell(c.negative),
    satisfactionIndex: c.satisfactionIndex,
  };
}

function reason(r: ReasonCount): ReasonCount {
  return { code: r.code, label: r.label, cell: cell(r.cell) };
}

function comparison(c: PeriodComparison): PeriodComparison {
  return {
    period: period(c.period),
    total: c.total,
    satisfactionIndex: c.satisfactionIndex,
    indexChange: c.indexChange,
  };
}

function channel(row: ChannelRow): ChannelRow {
  return {
    channel: row.channel,
    counts: counts(row.counts),
    served: row.served,
    participationRate: row.participationRate,
  };
}

function service(s: ServiceRow): ServiceRow {
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    counts: counts(s.counts),
    channels: s.channels.map(channel),
    reasons: s.reasons.map(reason),
    previous: comparison(s.previous),
    yearAgo: comparison(s.yearAgo),
  };
}

function office(o: OfficeRow): OfficeRow {
  return {
    id: o.id,
    name: o.name,
    counts: counts(o.counts),
    desks: o.desks.map((desk) => ({
      id: desk.id,
      name: desk.name,
      counts: counts(desk.counts),
      services: desk.services.map(service),
    })),
  };
}

function dataQuality(quality: DataQuality): DataQuality {
  return {
    suspectedRepeatsExcluded: quality.suspectedRepeatsExcluded,
    lateVotes: {
      total: quality.lateVotes.total,
      byPeriod: quality.lateVotes.byPeriod.map((late) => ({ period: late.period, count: late.count })),
    },
    kiosks: quality.kiosks.map((kiosk) => ({
      id: kiosk.id,
      name: kiosk.name,
      officeName: kiosk.officeName,
      daysWithHeartbeat: kiosk.daysWithHeartbeat,
      daysOffline: kiosk.daysOffline,
      votes: kiosk.votes,
    })),
    rejectedAtGateway: {
      total: quality.rejectedAtGateway.total,
      byCode: quality.rejectedAtGateway.byCode.map((rejection) => ({ code: rejection.code, count: rejection.count })),
    },
  };
}
