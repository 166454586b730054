import type { DeskRow, OfficeRow, ServiceRow } from "../../domain/report-document.js";
import { drawServiceBars } from "./bars.js";
import { type Canvas, COLOURS, drawHeading, drawParagraph, newPage } from "./canvas.js";
import { countsCells, countsColumns } from "./counts-table.js";
import { drawTable, type TableRow } from "./table.js";

/** One bar per service, in report order. */
export function drawServiceChart(c: Canvas): void {
  c.y += 12;
  drawHeading(c, c.cat.serviceChart, 1, 90);
  drawParagraph(c, c.cat.serviceChartNote, { size: 8.5, color: COLOURS.muted });
  c.y += 6;
  const items = c.report.offices.flatMap((office) =>
    office.desks.flatMap((desk) => desk.services.map((service) => ({ label: service.name, counts: service.counts }))),
  );
  items.push({ label: c.cat.total, counts: c.report.totals });
  drawServiceBars(c, items);
}

/** One table per office: office total, then each desk and its services (and channels when there are several). */
export function drawOfficeTables(c: Canvas): void {
  newPage(c);
  drawHeading(c, c.cat.offices, 1);
  for (const office of c.report.offices) {
    drawHeading(c, `${c.cat.office}: ${office.name}`, 2, 70);
    drawTable(c, countsColumns(c.cat, c.cat.service), officeRows(c, office));
  }
}

function officeRows(c: Canvas, office: OfficeRow): TableRow[] {
  const { minCellSize } = c.report;
  const rows: TableRow[] = [{ kind: "group", cells: [office.name, ...countsCells(office.counts, minCellSize, c.cat)] }];
  for (const desk of office.desks) rows.push(...deskRows(c, desk));
  return rows;
}

function deskRows(c: Canvas, desk: DeskRow): TableRow[] {
  const { minCellSize } = c.report;
  const name = desk.id === null ? c.cat.noDesk : desk.name;
  const rows: TableRow[] = [
    { kind: "subgroup", indent: 1, cells: [name, ...countsCells(desk.counts, minCellSize, c.cat)] },
  ];
  for (const service of desk.services) {
    rows.push({ indent: 2, cells: [service.name, ...countsCells(service.counts, minCellSize, c.cat)] });
    rows.push(...channelRows(c, service));
  }
  return rows;
}

/** Channel rows only add information when a service was rated on more than one channel. */
function channelRows(c: Canvas, service: ServiceRow): TableRow[] {
  const used = service.channels.filter((row) => row.counts.total > 0);
  if (used.length < 2) return [];
  return used.map((row) => ({
    kind: "detail",
    indent: 3,
    cells: [c.cat.channels[row.channel], ...countsCells(row.counts, c.report.minCellSize, c.cat)],
  }));
}
