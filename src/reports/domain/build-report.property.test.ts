import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import schema from "../../../schemas/report-v1.schema.json" with { type: "json" };
import { type Channel, JUDGMENTS, type Judgment, Language } from "../../shared/domain.js";
import { buildReport } from "./build-report.js";
import { lastPeriods, parsePeriod, previousPeriod, samePeriodYearAgo } from "./period.js";
import type { Cell, JudgmentCounts, ReportDocument, ReportInputs, VoteCountRow } from "./report-document.js";
import { sampleReportInputs } from "./sample-report-inputs.js";

const ajv = new Ajv2020({ allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile<ReportDocument>(schema);
const artifacts = { csv: { sha256: "0".repeat(64) }, pdf: { sha256: "f".repeat(64) } };

const uuid = (kind: number, index: number) =>
  `00000000-0000-4000-8000-${kind.toString(16).padStart(4, "0")}${index.toString(16).padStart(8, "0")}`;
const channel = fc.constantFrom<Channel>("desk", "web", "phone");
/** Mostly small counts, where suppression happens, and some large ones. */
const count = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 80 }));
const voteSpec = fc.record({
  service: fc.nat(),
  channel,
  judgment: fc.constantFrom<Judgment>(...JUDGMENTS),
  reason: fc.integer({ min: -2, max: 3 }),
  count,
});
const name = fc.string({ maxLength: 12 });

const inputsArbitrary = fc
  .record({
    offices: fc.array(name, { minLength: 1, maxLength: 3 }),
    desks: fc.array(fc.record({ office: fc.nat(), name }), { maxLength: 4 }),
    services: fc.array(
      fc.record({
        desk: fc.option(fc.nat(), { nil: null }),
        office: fc.nat(),
        active: fc.boolean(),
        name,
        english: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    reasons: fc.integer({ min: 0, max: 3 }),
    votes: fc.array(voteSpec, { maxLength: 30 }),
    previous: fc.array(voteSpec, { maxLength: 15 }),
    yearAgo: fc.array(voteSpec, { maxLength: 10 }),
    trend: fc.array(fc.tuple(count, count, count), { minLength: 11, maxLength: 11 }),
    served: fc.array(fc.record({ service: fc.nat(), channel, count: fc.nat(400) }), { maxLength: 4 }),
    kiosks: fc.array(fc.record({ office: fc.nat(), days: fc.nat(40), votes: fc.nat(90), active: fc.boolean(), name }), {
      maxLength: 3,
    }),
    late: fc.array(
      fc.record({ period: fc.constantFrom("2026-08", "2026-09"), count: fc.integer({ min: 1, max: 9 }) }),
      { maxLength: 3 },
    ),
    rejections: fc.array(fc.record({ code: fc.constantFrom("A", "B"), count: fc.integer({ min: 1, max: 9 }) }), {
      maxLength: 3,
    }),
    repeats: fc.nat(20),
    minCellSize: fc.integer({ min: 1, max: 8 }),
    language: fc.constantFrom(...Language.options),
    period: fc.constantFrom("2026-10", "2026-03", "2026-Q4", "2026", "2026-10-01..2026-10-15"),
  })
  .map(toInputs);

interface VoteSpec {
  service: number;
  channel: Channel;
  judgment: Judgment;
  reason: number;
  count: number;
}

function toInputs(spec: {
  offices: string[];
  desks: Array<{ office: number; name: string }>;
  services: Array<{ desk: number | null; office: number; active: boolean; name: string; english: string | undefined }>;
  reasons: number;
  votes: VoteSpec[];
  previous: VoteSpec[];
  yearAgo: VoteSpec[];
  trend: Array<[number, number, number]>;
  served: Array<{ service: number; channel: Channel; count: number }>;
  kiosks: Array<{ office: number; days: number; votes: number; active: boolean; name: string }>;
  late: Array<{ period: string; count: number }>;
  rejections: Array<{ code: string; count: number }>;
  repeats: number;
  minCellSize: number;
  language: Language;
  period: string;
}): ReportInputs {
  const period = parsePeriod(spec.period, "Europe/Rome");
  const offices = spec.offices.map((officeName, i) => ({ id: uuid(1, i), name: officeName }));
  const desks = spec.desks.map((desk, i) => ({
    id: uuid(2, i),
    officeId: uuid(1, desk.office % offices.length),
    name: desk.name,
  }));
  const services = spec.services.map((service, i) => {
    const desk = service.desk === null || desks.length === 0 ? null : desks[service.desk % desks.length];
    const officeId = desk?.officeId ?? uuid(1, service.office % offices.length);
    const names = service.english === undefined ? {} : { en: service.english };
    return {
      id: uuid(3, i),
      code: `s${i}`,
      name: service.name,
      names,
      officeId,
      deskId: desk?.id ?? null,
      active: service.active,
    };
  });
  const reasons = Array.from({ length: spec.reasons }, (_, i) => ({
    code: `r${i}`,
    label: `Reason ${i}`,
    labels: { en: `R${i}` },
  }));
  const rows = (specs: VoteSpec[], extraService: boolean): VoteCountRow[] =>
    specs.map((vote) => {
      const slot = vote.service % (services.length + (extraService ? 1 : 0));
      const reasonCode =
        vote.judgment !== "negative" || vote.reason === -1
          ? null
          : vote.reason === -2 || reasons.length === 0
            ? "retired"
            : `r${vote.reason % reasons.length}`;
      return {
        officeId: uuid(1, 0),
        deskId: null,
        serviceId: services[slot]?.id ?? uuid(9, 9),
        channel: vote.channel,
        judgment: vote.judgment,
        reasonCode,
        count: vote.count,
      };
    });
  return {
    entity: { ipaCode: "c_test", name: "Comune di Prova", timezone: "Europe/Rome", minCellSize: spec.minCellSize },
    period,
    language: spec.language,
    generatedAt: "2026-11-01T02:00:00.000Z",
    softwareVersion: "0.0.0-test",
    catalogue: { offices, desks, services, reasons },
    votes: rows(spec.votes, false),
    previous: { period: previousPeriod(period), votes: rows(spec.previous, true) },
    yearAgo: { period: samePeriodYearAgo(period), votes: rows(spec.yearAgo, true) },
    trend: lastPeriods(period, 12)
      .slice(0, -1)
      .map((p, i) => {
        const [positive, sufficient, negative] = spec.trend[i] ?? [0, 0, 0];
        return { period: p, positive, sufficient, negative };
      }),
    served: spec.served.map((s) => ({
      serviceId: services[s.service % services.length]?.id ?? "",
      channel: s.channel,
      count: s.count,
    })),
    kiosks: spec.kiosks.map((k, i) => ({
      id: uuid(4, i),
      name: k.name,
      officeId: uuid(1, k.office % offices.length),
      daysWithHeartbeat: k.days,
      votes: k.votes,
      active: k.active,
    })),
    quality: { suspectedRepeats: spec.repeats, late: spec.late, rejections: spec.rejections },
  };
}

interface Relations {
  /** Cells adding up to an exact, published total. */
  rows: Array<{ cells: Cell[]; total: number }>;
  /** A parent cell and the cells adding up to it. */
  sums: Array<{ parent: Cell; children: Cell[] }>;
}

/** Every additive relation a reader can see in the published document: rows, parents and children, reasons. */
function relationsOf(doc: ReportDocument): Relations {
  const relations: Relations = { rows: [], sums: [] };
  const row = (c: JudgmentCounts) =>
    relations.rows.push({ cells: [c.positive, c.sufficient, c.negative], total: c.total });
  const sums = (parent: JudgmentCounts, children: JudgmentCounts[]) => {
    row(parent);
    for (const judgment of JUDGMENTS) {
      relations.sums.push({ parent: parent[judgment], children: children.map((child) => child[judgment]) });
    }
  };
  const services = doc.offices.flatMap((o) => o.desks.flatMap((d) => d.services));
  sums(
    doc.totals,
    doc.offices.map((o) => o.counts),
  );
  sums(
    doc.totals,
    doc.channels.map((c) => c.counts),
  );
  for (const entityChannel of doc.channels) {
    const parts = services.flatMap((s) =>
      s.channels.filter((c) => c.channel === entityChannel.channel).map((c) => c.counts),
    );
    sums(entityChannel.counts, parts);
  }
  for (const office of doc.offices) {
    sums(
      office.counts,
      office.desks.map((d) => d.counts),
    );
    for (const desk of office.desks)
      sums(
        desk.counts,
        desk.services.map((s) => s.counts),
      );
  }
  for (const service of services) {
    sums(
      service.counts,
      service.channels.map((c) => c.counts),
    );
    for (const c of service.channels) row(c.counts);
    relations.sums.push({ parent: service.counts.negative, children: service.reasons.map((r) => r.cell) });
  }
  relations.sums.push({ parent: doc.totals.negative, children: doc.reasons.map((r) => r.cell) });
  doc.reasons.forEach((reason, i) => {
    const children = services.map((s) => s.reasons[i]?.cell).filter((c): c is Cell => c !== undefined);
    relations.sums.push({ parent: reason.cell, children });
  });
  return relations;
}

/**
 * The attack: cells a reader can pin down from the document alone, i.e.
 * zeros deduced from exact zero totals and non-negativity, then any relation
 * with a single cell still unknown (its value is the sum minus the others).
 */
function computableHiddenCells(doc: ReportDocument): number {
  const { rows, sums } = relationsOf(doc);
  const known = new Set<Cell>(rows.filter((r) => r.total === 0).flatMap((r) => r.cells));
  for (let grew = true; grew; ) {
    const before = known.size;
    for (const { parent, children } of sums) {
      if (known.has(parent) || parent.count === 0) for (const child of children) known.add(child);
      if (children.every((child) => known.has(child))) known.add(parent);
    }
    grew = known.size > before;
  }
  const relations = [...rows.map((r) => r.cells), ...sums.map((s) => [s.parent, ...s.children])];
  return relations.filter((cells) => cells.filter((c) => c.suppressed && !known.has(c)).length === 1).length;
}

/** Raw votes per service (all channels) from the inputs, independently of the code under test. */
function rawByService(rows: readonly VoteCountRow[]): Map<string, Record<Judgment, number>> {
  const totals = new Map<string, Record<Judgment, number>>();
  for (const row of rows) {
    const tally = totals.get(row.serviceId) ?? { positive: 0, sufficient: 0, negative: 0 };
    tally[row.judgment] += row.count;
    totals.set(row.serviceId, tally);
  }
  return totals;
}

function checkReport(inputs: ReportInputs, doc: ReportDocument): void {
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  const min = inputs.entity.minCellSize;
  expect(computableHiddenCells(doc)).toBe(0);
  const { rows, sums } = relationsOf(doc);
  for (const c of [...rows.flatMap((r) => r.cells), ...sums.flatMap((r) => [r.parent, ...r.children])]) {
    if (!c.suppressed) expect(c.count === 0 || (c.count ?? 0) >= min).toBe(true);
    else expect(c).toEqual({ count: null, suppressed: true, percent: null });
  }
  const raw = rawByService(inputs.votes);
  const previous = rawByService(inputs.previous.votes);
  const services = doc.offices.flatMap((o) => o.desks.flatMap((d) => d.services));
  for (const service of services) {
    const expected = raw.get(service.id) ?? { positive: 0, sufficient: 0, negative: 0 };
    expect(service.counts.total).toBe(expected.positive + expected.sufficient + expected.negative);
    for (const judgment of JUDGMENTS) {
      if (!service.counts[judgment].suppressed) expect(service.counts[judgment].count).toBe(expected[judgment]);
    }
    const before = previous.get(service.id)?.positive ?? 0;
    if (service.previous.satisfactionIndex !== null) expect(before === 0 || before >= min).toBe(true);
    if (service.counts.negative.suppressed) expect(service.reasons.every((r) => r.cell.percent === null)).toBe(true);
  }
  const shown = new Set(services.map((s) => s.id));
  for (const service of inputs.catalogue.services) {
    const votes = Object.values(raw.get(service.id) ?? {}).reduce((sum, n) => sum + n, 0);
    expect(shown.has(service.id)).toBe(service.active || votes > 0);
  }
  expect(doc.totals.total).toBe(inputs.votes.reduce((sum, row) => sum + row.count, 0));
  expect(doc.trend).toHaveLength(12);
  expect(doc.trend.at(-1)).toEqual({
    period: doc.period,
    total: doc.totals.total,
    satisfactionIndex: doc.totals.satisfactionIndex,
  });
}

describe("buildReport on any inputs", () => {
  it("checks the hand-made sample the same way", () => {
    const inputs = sampleReportInputs();
    checkReport(inputs, buildReport(inputs, artifacts));
  });

  it("matches the schema, keeps totals exact and leaves no suppressed count computable", () => {
    fc.assert(
      fc.property(inputsArbitrary, (inputs) => {
        checkReport(inputs, buildReport(inputs, artifacts));
      }),
      { numRuns: 300 },
    );
  });

  it("does not depend on the order of the vote rows", () => {
    fc.assert(
      fc.property(inputsArbitrary, (inputs) => {
        const reversed = { ...inputs, votes: [...inputs.votes].reverse() };
        expect(buildReport(reversed, artifacts)).toEqual(buildReport(inputs, artifacts));
      }),
      { numRuns: 50 },
    );
  });
});
