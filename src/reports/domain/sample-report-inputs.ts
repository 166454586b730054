import type { Channel, Judgment } from "../../shared/domain.js";
import { lastPeriods, monthPeriod, previousPeriod, samePeriodYearAgo } from "./period.js";
import type { ReportInputs, VoteCountRow } from "./report-document.js";

/**
 * A small, hand-checkable set of report inputs: the demo comune's October
 * 2026 (the month DST ends in Rome), two offices, a desk-less service, an
 * inactive service with votes, an active one without, small cells to
 * suppress and a retired reason. For tests and previews of the renderers.
 */

const ids = {
  municipio: "00000000-0000-4000-8000-00000000000a",
  delegazione: "00000000-0000-4000-8000-00000000000b",
  deskAnagrafe: "00000000-0000-4000-8000-0000000000d1",
  deskTributi: "00000000-0000-4000-8000-0000000000d2",
  deskUrp: "00000000-0000-4000-8000-0000000000d3",
  anagrafe: "00000000-0000-4000-8000-000000000051",
  statoCivile: "00000000-0000-4000-8000-000000000052",
  tributi: "00000000-0000-4000-8000-000000000053",
  urp: "00000000-0000-4000-8000-000000000054",
  suap: "00000000-0000-4000-8000-000000000055",
  protocollo: "00000000-0000-4000-8000-000000000056",
} as const;

function votes(
  serviceId: string,
  channel: Channel,
  counts: Partial<Record<Judgment, number>>,
  reasons: Record<string, number> = {},
): VoteCountRow[] {
  const rows: VoteCountRow[] = [];
  const base = { officeId: ids.municipio, deskId: null, serviceId, channel };
  for (const judgment of ["positive", "sufficient"] as const) {
    const count = counts[judgment] ?? 0;
    if (count > 0) rows.push({ ...base, judgment, reasonCode: null, count });
  }
  let reasoned = 0;
  for (const [code, count] of Object.entries(reasons)) {
    rows.push({ ...base, judgment: "negative", reasonCode: code, count });
    reasoned += count;
  }
  const unreasoned = (counts.negative ?? 0) - reasoned;
  if (unreasoned > 0) rows.push({ ...base, judgment: "negative", reasonCode: null, count: unreasoned });
  return rows;
}

export function sampleReportInputs(): ReportInputs {
  const period = monthPeriod(2026, 10, "Europe/Rome");
  const service = (id: string, code: string, name: string, officeId: string, deskId: string | null, active = true) => ({
    id,
    code,
    name,
    names: code === "anagrafe" ? { en: "Registry office" } : {},
    officeId,
    deskId,
    active,
  });
  return {
    entity: { ipaCode: "c_demo", name: "Comune di Demo", timezone: "Europe/Rome", minCellSize: 5 },
    period,
    language: "it",
    generatedAt: "2026-11-01T02:00:00.000Z",
    softwareVersion: "0.1.0",
    catalogue: {
      offices: [
        { id: ids.municipio, name: "Municipio; sede centrale" },
        { id: ids.delegazione, name: 'Delegazione "Borgo"' },
      ],
      desks: [
        { id: ids.deskAnagrafe, officeId: ids.municipio, name: "Sportello 1" },
        { id: ids.deskTributi, officeId: ids.municipio, name: "Sportello 2" },
        { id: ids.deskUrp, officeId: ids.delegazione, name: "URP" },
      ],
      services: [
        service(ids.anagrafe, "anagrafe", "Anagrafe", ids.municipio, ids.deskAnagrafe),
        service(ids.statoCivile, "stato-civile", "Stato civile", ids.municipio, ids.deskAnagrafe),
        service(ids.tributi, "tributi", "Tributi", ids.municipio, ids.deskTributi),
        service(ids.urp, "urp", "URP", ids.delegazione, ids.deskUrp),
        service(ids.suap, "suap", "Edilizia/SUAP", ids.delegazione, ids.deskUrp, false),
        service(ids.protocollo, "protocollo", "Protocollo", ids.delegazione, null),
      ],
      reasons: [
        { code: "tempo-attesa", label: "Tempo di attesa", labels: { en: "Waiting time" } },
        { code: "cortesia", label: "Cortesia e competenza del personale", labels: {} },
      ],
    },
    votes: [
      ...votes(
        ids.anagrafe,
        "desk",
        { positive: 120, sufficient: 30, negative: 14 },
        { "tempo-attesa": 9, cortesia: 2 },
      ),
      ...votes(ids.anagrafe, "web", { positive: 40, sufficient: 6, negative: 3 }, { "tempo-attesa": 3 }),
      ...votes(ids.statoCivile, "desk", { positive: 25, sufficient: 3, negative: 0 }),
      ...votes(
        ids.tributi,
        "desk",
        { positive: 50, sufficient: 20, negative: 22 },
        { "tempo-attesa": 12, chiarezza: 6 },
      ),
      ...votes(ids.tributi, "phone", { positive: 8, sufficient: 5, negative: 7 }, { cortesia: 7 }),
      ...votes(ids.urp, "desk", { positive: 2, sufficient: 1, negative: 0 }),
      ...votes(ids.suap, "desk", { positive: 6, sufficient: 6, negative: 6 }, { "tempo-attesa": 6 }),
    ],
    previous: {
      period: previousPeriod(period),
      votes: [
        ...votes(ids.anagrafe, "desk", { positive: 100, sufficient: 40, negative: 20 }),
        ...votes(ids.tributi, "desk", { positive: 60, sufficient: 10, negative: 10 }),
        ...votes(ids.urp, "desk", { positive: 3 }),
      ],
    },
    yearAgo: {
      period: samePeriodYearAgo(period),
      votes: [...votes(ids.anagrafe, "desk", { positive: 90, sufficient: 10 })],
    },
    trend: lastPeriods(period, 12)
      .slice(0, -1)
      // The last point is September, the previous period: the same counts as `previous` above.
      .map((p, index) =>
        index === 10
          ? { period: p, positive: 163, sufficient: 50, negative: 30 }
          : { period: p, positive: 100 + index * 10, sufficient: 30, negative: index === 9 ? 3 : 20 },
      ),
    served: [
      { serviceId: ids.anagrafe, channel: "desk", count: 1640 },
      { serviceId: ids.tributi, channel: "phone", count: 0 },
      { serviceId: ids.protocollo, channel: "desk", count: 310 },
    ],
    kiosks: [
      {
        id: "00000000-0000-4000-8000-0000000000c2",
        name: "Totem URP",
        officeId: ids.delegazione,
        daysWithHeartbeat: 0,
        votes: 0,
        active: true,
      },
      {
        id: "00000000-0000-4000-8000-0000000000c1",
        name: "Totem anagrafe",
        officeId: ids.municipio,
        daysWithHeartbeat: 31,
        votes: 298,
        active: true,
      },
      {
        id: "00000000-0000-4000-8000-0000000000c3",
        name: "Vecchio totem",
        officeId: ids.municipio,
        daysWithHeartbeat: 2,
        votes: 4,
        active: false,
      },
    ],
    quality: {
      suspectedRepeats: 7,
      late: [
        { period: "2026-09", count: 12 },
        { period: "2026-08", count: 1 },
      ],
      rejections: [
        { code: "VOTE_SERVICE_UNKNOWN", count: 2 },
        { code: "VOTE_CAST_IN_FUTURE", count: 1 },
      ],
    },
  };
}
