import type { ReasonCount } from "../../domain/report-document.js";
import { type Canvas, COLOURS, drawHeading, drawParagraph, newPage } from "./canvas.js";
import { formatCount, formatInteger, formatPercent } from "./format.js";
import { allServices } from "./summary.js";
import { type Column, drawTable, type TableRow } from "./table.js";

/** Reasons for negative votes: the entity's, then per service (issue 4 "Content"). */
export function drawReasons(c: Canvas): void {
  const { cat, report } = c;
  newPage(c);
  drawHeading(c, cat.reasons, 1);
  if (report.totals.negative.count === 0) {
    drawParagraph(c, cat.noReasons, { size: 9.5, color: COLOURS.muted });
    return;
  }
  drawParagraph(c, cat.reasonsNote, { size: 8.5, color: COLOURS.muted });
  c.y += 4;
  drawTable(
    c,
    reasonColumns(c, cat.reason),
    report.reasons.map((reason) => ({ cells: reasonCells(c, reason) })),
  );
  const rows = allServices(c)
    .filter((service) => service.counts.negative.count !== 0)
    .flatMap((service): TableRow[] => [
      { kind: "subgroup", cells: [service.name, formatCount(service.counts.negative, report.minCellSize, cat), ""] },
      ...service.reasons
        .filter((reason) => reason.cell.count !== 0)
        .map((reason) => ({ indent: 1, cells: reasonCells(c, reason) })),
    ]);
  drawHeading(c, cat.reasonsByService, 2);
  drawTable(c, reasonColumns(c, `${cat.service} / ${cat.reason.toLowerCase()}`), rows);
}

function reasonColumns(c: Canvas, first: string): Column[] {
  return [
    { header: first },
    { header: c.cat.votes, width: 60, align: "right" },
    { header: c.cat.share, width: 60, align: "right" },
  ];
}

function reasonCells(c: Canvas, reason: ReasonCount): string[] {
  return [
    reason.label,
    formatCount(reason.cell, c.report.minCellSize, c.cat),
    formatPercent(reason.cell.suppressed ? null : reason.cell.percent, c.cat),
  ];
}

/** Data quality: repeats, late votes, kiosk availability, rejections (issue 4 "Data quality"). */
export function drawDataQuality(c: Canvas): void {
  const { cat, report } = c;
  const quality = report.dataQuality;
  const n = (v: number) => formatInteger(v, cat);
  newPage(c);
  drawHeading(c, cat.dataQuality, 1);
  drawHeading(c, `${cat.suspectedRepeats}: ${n(quality.suspectedRepeatsExcluded)}`, 2, 10);
  drawHeading(c, `${cat.lateVotes}: ${n(quality.lateVotes.total)}`, 2, 40);
  drawParagraph(c, cat.lateVotesNote, { size: 8.5, color: COLOURS.muted });
  c.y += 4;
  const late = quality.lateVotes.byPeriod.map((row) => ({ cells: [row.period, n(row.count)] }));
  drawOptionalTable(c, [{ header: cat.originalPeriod }, { header: cat.votes, width: 80, align: "right" }], late);
  drawHeading(c, cat.kiosks, 2);
  const kioskColumns: Column[] = [
    { header: cat.kiosk },
    { header: cat.office, width: 140 },
    { header: cat.daysWithHeartbeat, width: 62, align: "right" },
    { header: cat.daysOffline, width: 62, align: "right" },
    { header: cat.votes, width: 52, align: "right" },
  ];
  const kiosks = quality.kiosks.map((k) => ({
    cells: [k.name, k.officeName, n(k.daysWithHeartbeat), n(k.daysOffline), n(k.votes)],
  }));
  drawOptionalTable(c, kioskColumns, kiosks);
  drawHeading(c, `${cat.rejections}: ${n(quality.rejectedAtGateway.total)}`, 2);
  const rejections = quality.rejectedAtGateway.byCode.map((row) => ({ cells: [row.code, n(row.count)] }));
  drawOptionalTable(c, [{ header: cat.rejectionCode }, { header: cat.votes, width: 80, align: "right" }], rejections);
}

function drawOptionalTable(c: Canvas, columns: Column[], rows: TableRow[]): void {
  if (rows.length > 0) {
    drawTable(c, columns, rows);
    return;
  }
  drawParagraph(c, c.cat.none, { size: 9.5, color: COLOURS.muted });
  c.y += 6;
}
