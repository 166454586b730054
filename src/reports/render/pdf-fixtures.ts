/**
 * Report documents for the PDF tests only. They are built here, not by the
 * aggregation, so the renderer is tested against the contract
 * (report-document.ts) rather than against another module's output.
 */
import type { Channel } from "../../shared/domain.js";
import type {
  Cell,
  ChannelRow,
  DataQuality,
  JudgmentCounts,
  KioskAvailability,
  OfficeRow,
  ReasonCount,
  ReportDocument,
  ReportPeriod,
  ServiceRow,
  TrendPoint,
} from "../domain/report-document.js";

type Triple = [positive: number, sufficient: number, negative: number];

export interface ServiceSpec {
  name: string;
  office: string;
  /** Null for a service without a desk. */
  desk: string | null;
  channels: Partial<Record<Channel, Triple>>;
  served?: Partial<Record<Channel, number>>;
  /** Negative votes per reason code ("none" = no reason given); should sum to the negatives. */
  reasons?: Record<string, number>;
}

const REASONS: Array<{ code: string | null; label: string }> = [
  { code: "tempo-attesa", label: "Tempo di attesa" },
  { code: "cortesia", label: "Cortesia del personale" },
  { code: "chiarezza", label: "Chiarezza delle informazioni" },
  { code: null, label: "Preferisco non indicarlo" },
];

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Votes per judgment with the model's primary and secondary suppression. */
export function judgmentCounts([p, s, n]: Triple, minCellSize = 5): JudgmentCounts {
  const total = p + s + n;
  const counts = [p, s, n];
  const hidden = counts.map((v) => v > 0 && v < minCellSize);
  if (hidden.filter(Boolean).length === 1) {
    // Secondary suppression: hide the smallest other non-zero count too.
    const others = counts.map((v, i) => ({ v, i })).filter(({ v, i }) => !hidden[i] && v > 0);
    const smallest = others.sort((a, b) => a.v - b.v)[0];
    if (smallest !== undefined) hidden[smallest.i] = true;
  }
  const cell = (i: number): Cell => {
    const count = counts[i] ?? 0;
    const suppressed = hidden[i] ?? false;
    return {
      count: suppressed ? null : count,
      suppressed,
      percent: suppressed || total === 0 ? null : round1((count / total) * 100),
    };
  };
  const positive = cell(0);
  return { total, positive, sufficient: cell(1), negative: cell(2), satisfactionIndex: positive.percent };
}

function sum(triples: Triple[]): Triple {
  return triples.reduce<Triple>((acc, t) => [acc[0] + t[0], acc[1] + t[1], acc[2] + t[2]], [0, 0, 0]);
}

/** A calendar month in Europe/Rome: local midnight is 22:00Z from April to October (CEST), 23:00Z otherwise. */
export function monthPeriod(year: number, month: number): ReportPeriod {
  const pad = (v: number) => String(v).padStart(2, "0");
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const midnight = (y: number, m: number) => {
    const offset = m >= 4 && m <= 10 ? 2 : 1;
    return new Date(Date.UTC(y, m - 1, 1, -offset)).toISOString().replace(".000Z", "Z");
  };
  const next = month === 12 ? [year + 1, 1] : [year, month + 1];
  return {
    kind: "month",
    label: `${year}-${pad(month)}`,
    firstDay: `${year}-${pad(month)}-01`,
    lastDay: `${year}-${pad(month)}-${pad(lastDay)}`,
    timezone: "Europe/Rome",
    start: midnight(year, month),
    end: midnight(next[0] ?? year, next[1] ?? 1),
  };
}

export const SAMPLE_SERVICES: ServiceSpec[] = [
  {
    name: "Carta d'identità elettronica",
    office: "Servizi demografici",
    desk: "Anagrafe",
    channels: { desk: [412, 96, 37], web: [58, 21, 12] },
    served: { desk: 1310 },
    reasons: { "tempo-attesa": 28, cortesia: 6, chiarezza: 9, none: 6 },
  },
  {
    name: "Certificati anagrafici",
    office: "Servizi demografici",
    desk: "Anagrafe",
    channels: { desk: [187, 40, 9] },
    reasons: { "tempo-attesa": 5, chiarezza: 4 },
  },
  {
    name: "Pubblicazioni di matrimonio",
    office: "Servizi demografici",
    desk: "Stato civile",
    channels: { desk: [11, 3, 1] },
    reasons: { cortesia: 1 },
  },
  {
    name: "IMU e TARI",
    office: "Ufficio tributi",
    desk: null,
    channels: { desk: [95, 61, 44], phone: [20, 9, 15] },
    served: { desk: 640, phone: 210 },
    reasons: { "tempo-attesa": 30, chiarezza: 21, none: 8 },
  },
];

function reasonCounts(spec: ServiceSpec, negatives: number, minCellSize: number): ReasonCount[] {
  return REASONS.map(({ code, label }) => {
    const count = spec.reasons?.[code ?? "none"] ?? 0;
    const suppressed = count > 0 && count < minCellSize;
    const percent = suppressed || negatives === 0 ? null : round1((count / negatives) * 100);
    return { code, label, cell: { count: suppressed ? null : count, suppressed, percent } };
  });
}

function comparison(period: ReportPeriod, total: number, index: number | null, delta: number) {
  const then = index === null ? null : round1(Math.max(0, index - delta));
  return {
    period,
    total: Math.round(total * 0.9),
    satisfactionIndex: then,
    indexChange: index === null || then === null ? null : round1(index - then),
  };
}

function serviceRow(spec: ServiceSpec, i: number, minCellSize: number): ServiceRow {
  const entries = Object.entries(spec.channels) as Array<[Channel, Triple]>;
  const channels: ChannelRow[] = entries.map(([channel, triple]) => {
    const served = spec.served?.[channel] ?? null;
    const total = triple[0] + triple[1] + triple[2];
    const participationRate = served === null ? null : round1((total / served) * 100);
    return { channel, counts: judgmentCounts(triple, minCellSize), served, participationRate };
  });
  const triple = sum(entries.map(([, t]) => t));
  const counts = judgmentCounts(triple, minCellSize);
  return {
    id: `svc-${i + 1}`,
    code: `S${String(i + 1).padStart(3, "0")}`,
    name: spec.name,
    counts,
    channels,
    reasons: reasonCounts(spec, triple[2], minCellSize),
    previous: comparison(monthPeriod(2026, 9), counts.total, counts.satisfactionIndex, 2.4),
    yearAgo: comparison(monthPeriod(2025, 10), counts.total, counts.satisfactionIndex, -1.3),
  };
}

function tripleOf(specs: ServiceSpec[], channel?: Channel): Triple {
  const triples = specs.flatMap((spec) =>
    (Object.entries(spec.channels) as Array<[Channel, Triple]>)
      .filter(([c]) => channel === undefined || c === channel)
      .map(([, t]) => t),
  );
  return sum(triples);
}

function buildOffices(specs: ServiceSpec[], minCellSize: number): OfficeRow[] {
  const officeNames = [...new Set(specs.map((s) => s.office))];
  return officeNames.map((officeName, o) => {
    const inOffice = specs.filter((s) => s.office === officeName);
    const deskNames = [...new Set(inOffice.map((s) => s.desk))];
    return {
      id: `off-${o + 1}`,
      name: officeName,
      counts: judgmentCounts(tripleOf(inOffice), minCellSize),
      desks: deskNames.map((deskName, d) => {
        const inDesk = inOffice.filter((s) => s.desk === deskName);
        return {
          id: deskName === null ? null : `desk-${o + 1}-${d + 1}`,
          name: deskName ?? "",
          counts: judgmentCounts(tripleOf(inDesk), minCellSize),
          services: inDesk.map((spec) => serviceRow(spec, specs.indexOf(spec), minCellSize)),
        };
      }),
    };
  });
}

function buildTrend(current: JudgmentCounts): TrendPoint[] {
  return Array.from({ length: 12 }, (_, i) => {
    // November 2025 … October 2026.
    const month = ((10 + i) % 12) + 1;
    const period = monthPeriod(i < 2 ? 2025 : 2026, month);
    if (i === 11) return { period, total: current.total, satisfactionIndex: current.satisfactionIndex };
    // A summer dip, and August without votes (closed office) to exercise the gap in the line.
    const total = month === 8 ? 0 : Math.round(current.total * (0.7 + ((i * 37) % 30) / 100));
    return { period, total, satisfactionIndex: total === 0 ? null : round1(58 + ((i * 53) % 17)) };
  });
}

function kiosks(count: number, offices: OfficeRow[]): KioskAvailability[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `kiosk-${i + 1}`,
    name: `Totem ${i + 1}`,
    officeName: offices[i % offices.length]?.name ?? "",
    daysWithHeartbeat: 31 - (i % 4),
    daysOffline: i % 4,
    votes: 40 + ((i * 29) % 200),
  }));
}

function dataQuality(kioskRows: KioskAvailability[]): DataQuality {
  return {
    suspectedRepeatsExcluded: 17,
    lateVotes: {
      total: 9,
      byPeriod: [
        { period: "2026-08", count: 2 },
        { period: "2026-09", count: 7 },
      ],
    },
    kiosks: kioskRows,
    rejectedAtGateway: {
      total: 23,
      byCode: [
        { code: "KIOSK_CLOCK_SKEW", count: 15 },
        { code: "VOTE_DUPLICATE_ID", count: 8 },
      ],
    },
  };
}

/** A whole report built from service specs, numbers consistent from cells up to totals. */
export function buildReport(specs: ServiceSpec[], kioskCount = 3, minCellSize = 5): ReportDocument {
  const offices = buildOffices(specs, minCellSize);
  const totals = judgmentCounts(tripleOf(specs), minCellSize);
  const channels = (["desk", "web", "phone"] as const)
    .map((channel) => ({ channel, counts: judgmentCounts(tripleOf(specs, channel), minCellSize) }))
    .filter((row) => row.counts.total > 0);
  const negatives = totals.negative.count ?? tripleOf(specs)[2];
  const allReasons: ServiceSpec = { name: "", office: "", desk: null, channels: {}, reasons: {} };
  for (const spec of specs) {
    for (const [code, n] of Object.entries(spec.reasons ?? {})) {
      allReasons.reasons = { ...allReasons.reasons, [code]: (allReasons.reasons?.[code] ?? 0) + n };
    }
  }
  return {
    schemaVersion: 1,
    entity: { ipaCode: "c_z999", name: "Comune di Vallecupa", timezone: "Europe/Rome" },
    period: monthPeriod(2026, 10),
    language: "it",
    generatedAt: "2026-11-01T02:00:00Z",
    softwareVersion: "0.1.0",
    minCellSize,
    legalBasis: [
      "D.Lgs. 27 ottobre 2009, n. 150, artt. 8 e 19-bis: partecipazione dei cittadini alla valutazione della performance",
      "D.Lgs. 7 marzo 2005, n. 82 (CAD), art. 7, comma 3: rilevazione della soddisfazione degli utenti",
    ],
    totals,
    channels,
    reasons: reasonCounts(allReasons, negatives, minCellSize),
    previous: comparison(monthPeriod(2026, 9), totals.total, totals.satisfactionIndex, 2.4),
    yearAgo: comparison(monthPeriod(2025, 10), totals.total, totals.satisfactionIndex, -1.3),
    trend: buildTrend(totals),
    offices,
    coverage: {
      servicesConfigured: specs.length + 2,
      servicesActive: specs.length,
      kiosksConfigured: kioskCount + 1,
      kiosksActive: kioskCount,
    },
    dataQuality: dataQuality(kiosks(kioskCount, offices)),
    artifacts: { csv: { sha256: "0".repeat(64) }, pdf: { sha256: "0".repeat(64) } },
  };
}

/** The small demo comune's October report; override any top-level field. */
export function sampleReport(overrides: Partial<ReportDocument> = {}): ReportDocument {
  return { ...buildReport(SAMPLE_SERVICES), ...overrides };
}

/** A large entity: `services` services over 8 offices, many kiosks, to exercise pagination. */
export function largeReport(services = 40, kioskCount = 60): ReportDocument {
  const specs: ServiceSpec[] = Array.from({ length: services }, (_, i) => ({
    name: `Servizio ${String(i + 1).padStart(2, "0")} – sportello polifunzionale`,
    office: `Ufficio ${(i % 8) + 1}`,
    desk: i % 3 === 0 ? null : `Sportello ${(i % 5) + 1}`,
    channels: { desk: [20 + ((i * 17) % 90), 5 + ((i * 7) % 40), (i * 3) % 25], web: [(i * 5) % 30, 3, (i * 2) % 7] },
    reasons: { "tempo-attesa": (i * 3) % 25 },
  }));
  return {
    ...buildReport(specs, kioskCount),
    entity: { ipaCode: "c_z998", name: "Comune di Grandevalle", timezone: "Europe/Rome" },
  };
}
