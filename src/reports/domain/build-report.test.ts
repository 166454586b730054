import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import schema from "../../../schemas/report-v1.schema.json" with { type: "json" };
import { buildReport } from "./build-report.js";
import type { JudgmentCounts, ReportDocument, ReportInputs } from "./report-document.js";
import { sampleReportInputs } from "./sample-report-inputs.js";

const artifacts = { csv: { sha256: "a".repeat(64) }, pdf: { sha256: "b".repeat(64) } };
const ajv = new Ajv2020({ allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile<ReportDocument>(schema);

const build = (change: (inputs: ReportInputs) => void = () => {}) => {
  const inputs = sampleReportInputs();
  change(inputs);
  return buildReport(inputs, artifacts);
};
const visible = (counts: JudgmentCounts) => [counts.positive.count, counts.sufficient.count, counts.negative.count];
const serviceOf = (doc: ReportDocument, code: string) => {
  const found = doc.offices.flatMap((o) => o.desks.flatMap((d) => d.services)).find((s) => s.code === code);
  if (!found) throw new Error(`no service ${code}`);
  return found;
};

describe("buildReport on the demo comune's October", () => {
  const doc = build();

  it("matches the JSON Schema", () => {
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it("adds every vote once into exact totals", () => {
    expect(doc.totals.total).toBe(374);
    expect(visible(doc.totals)).toEqual([251, 71, 52]);
    expect(doc.totals.satisfactionIndex).toBe(67.1);
    expect(doc.offices.reduce((sum, office) => sum + office.counts.total, 0)).toBe(374);
    expect(doc.channels.map((c) => [c.channel, c.counts.total])).toEqual([
      ["desk", 305],
      ["web", 49],
      ["phone", 20],
    ]);
  });

  it("lays out offices, desks and services in catalogue order, desk-less services last", () => {
    const layout = doc.offices.map((o) => [o.name, o.desks.map((d) => [d.name, d.services.map((s) => s.code)])]);
    expect(layout).toEqual([
      [
        "Municipio; sede centrale",
        [
          ["Sportello 1", ["anagrafe", "stato-civile"]],
          ["Sportello 2", ["tributi"]],
        ],
      ],
      [
        'Delegazione "Borgo"',
        [
          ["URP", ["urp", "suap"]],
          ["Senza sportello", ["protocollo"]],
        ],
      ],
    ]);
    expect(doc.offices[1]?.desks[1]?.id).toBeNull();
  });

  it("shows an active service without votes as a zero row, and an inactive one only because it has votes", () => {
    const protocollo = serviceOf(doc, "protocollo");
    expect(protocollo.counts.total).toBe(0);
    expect(protocollo.counts.satisfactionIndex).toBeNull();
    expect(protocollo.channels).toEqual([
      expect.objectContaining({ channel: "desk", served: 310, participationRate: 0 }),
    ]);
    expect(serviceOf(doc, "suap").counts.total).toBe(18);
    const withoutSuapVotes = build((inputs) => {
      inputs.votes = inputs.votes.filter((row) => row.serviceId !== serviceOf(doc, "suap").id);
    });
    expect(withoutSuapVotes.offices[1]?.desks[0]?.services.map((s) => s.code)).toEqual(["urp"]);
  });

  it("computes the participation rate only where a served count exists and is not zero", () => {
    const anagrafe = serviceOf(doc, "anagrafe");
    expect(anagrafe.channels.map((c) => [c.channel, c.served, c.participationRate])).toEqual([
      ["desk", 1640, 10],
      ["web", null, null],
    ]);
    expect(serviceOf(doc, "tributi").channels[1]).toMatchObject({
      channel: "phone",
      served: 0,
      participationRate: null,
    });
  });

  it("lists reasons in catalogue order, then retired codes, then the votes without a reason", () => {
    expect(doc.reasons.map((r) => [r.code, r.label, r.cell.count])).toEqual([
      ["tempo-attesa", "Tempo di attesa", 30],
      ["cortesia", "Cortesia e competenza del personale", 9],
      ["chiarezza", "chiarezza", 6],
      [null, "Motivo non indicato", 7],
    ]);
    expect(doc.reasons.map((r) => r.cell.percent)).toEqual([57.7, 17.3, 11.5, 13.5]);
  });

  it("hides small cells and the cell that would give them away, keeping totals exact", () => {
    const urp = serviceOf(doc, "urp");
    expect(urp.counts.total).toBe(3);
    expect(urp.counts.positive).toEqual({ count: null, suppressed: true, percent: null });
    expect(urp.counts.satisfactionIndex).toBeNull();
    const statoCivile = serviceOf(doc, "stato-civile");
    expect(statoCivile.counts.sufficient.suppressed).toBe(true);
    expect(statoCivile.counts.negative.suppressed).toBe(true);
    expect(statoCivile.counts.positive).toEqual({ count: 25, suppressed: false, percent: 89.3 });
  });

  it("compares with the previous period and the same period a year earlier", () => {
    const anagrafe = serviceOf(doc, "anagrafe");
    expect(anagrafe.previous).toMatchObject({ total: 160, satisfactionIndex: 62.5, indexChange: 12.6 });
    expect(anagrafe.previous.period.label).toBe("2026-09");
    expect(anagrafe.yearAgo).toMatchObject({ total: 100, satisfactionIndex: 90, indexChange: -14.9 });
    expect(doc.previous).toMatchObject({ total: 243, satisfactionIndex: 67.1, indexChange: 0 });
    expect(doc.yearAgo.period.label).toBe("2025-10");
    expect(serviceOf(doc, "urp").previous).toMatchObject({ total: 3, satisfactionIndex: null, indexChange: null });
  });

  it("draws a trend of twelve periods ending with this one, the previous period agreeing with the comparison", () => {
    expect(doc.trend.map((p) => p.period.label)).toEqual([
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
    ]);
    expect(doc.trend[10]).toMatchObject({
      total: doc.previous.total,
      satisfactionIndex: doc.previous.satisfactionIndex,
    });
    expect(doc.trend[11]).toMatchObject({ total: 374, satisfactionIndex: 67.1 });
    expect(doc.trend[9]).toMatchObject({ total: 223, satisfactionIndex: 85.2 });
  });

  it("reports coverage and data quality", () => {
    expect(doc.coverage).toEqual({ servicesConfigured: 5, servicesActive: 5, kiosksConfigured: 2, kiosksActive: 2 });
    expect(doc.dataQuality).toEqual({
      suspectedRepeatsExcluded: 7,
      lateVotes: {
        total: 13,
        byPeriod: [
          { period: "2026-08", count: 1 },
          { period: "2026-09", count: 12 },
        ],
      },
      kiosks: [
        expect.objectContaining({ name: "Totem anagrafe", officeName: "Municipio; sede centrale", daysOffline: 0 }),
        expect.objectContaining({ name: "Vecchio totem", daysWithHeartbeat: 2, daysOffline: 29, votes: 4 }),
        expect.objectContaining({ name: "Totem URP", officeName: 'Delegazione "Borgo"', daysOffline: 31 }),
      ],
      rejectedAtGateway: {
        total: 3,
        byCode: [
          { code: "VOTE_CAST_IN_FUTURE", count: 1 },
          { code: "VOTE_SERVICE_UNKNOWN", count: 2 },
        ],
      },
    });
  });

  it("carries the legal basis, the record's timestamps and the artifact hashes", () => {
    expect(doc.legalBasis).toEqual(["D.Lgs. 150/2009, art. 8 e art. 19-bis", "CAD (D.Lgs. 82/2005), art. 7, comma 3"]);
    expect(doc).toMatchObject({ schemaVersion: 1, generatedAt: "2026-11-01T02:00:00.000Z", minCellSize: 5, artifacts });
    expect(doc.period).toMatchObject({ label: "2026-10", start: "2026-09-30T22:00:00Z", end: "2026-10-31T23:00:00Z" });
  });
});

describe("buildReport", () => {
  it("names services, reasons and the groups it makes in the report's language", () => {
    const doc = build((inputs) => {
      inputs.language = "en";
    });
    expect(serviceOf(doc, "anagrafe").name).toBe("Registry office");
    expect(serviceOf(doc, "tributi").name).toBe("Tributi");
    expect(doc.reasons.map((r) => r.label)).toEqual([
      "Waiting time",
      "Cortesia e competenza del personale",
      "chiarezza",
      "No reason given",
    ]);
    expect(doc.offices[1]?.desks[1]?.name).toBe("No desk");
  });

  it("gives the same document whatever the order of the input rows", () => {
    const shuffled = build((inputs) => {
      inputs.votes.reverse();
      inputs.previous.votes.reverse();
      inputs.kiosks.reverse();
      inputs.quality.late.reverse();
      inputs.served.reverse();
    });
    expect(shuffled).toEqual(build());
  });

  it("follows the entity's minimum cell size", () => {
    const doc = build((inputs) => {
      inputs.entity.minCellSize = 1;
    });
    expect(serviceOf(doc, "urp").counts.positive).toEqual({ count: 2, suppressed: false, percent: 66.7 });
    expect(JSON.stringify(doc)).not.toContain('"suppressed":true');
  });

  it("refuses votes for a service the catalogue does not know", () => {
    expect(() =>
      build((inputs) => {
        inputs.votes.push({
          officeId: "x",
          deskId: null,
          serviceId: "unknown",
          channel: "desk",
          judgment: "positive",
          reasonCode: null,
          count: 1,
        });
      }),
    ).toThrow(/not in the catalogue/);
  });
});
