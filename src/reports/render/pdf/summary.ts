import type { PeriodComparison, ServiceRow } from "../../domain/report-document.js";
import {
  type Canvas,
  COLOURS,
  drawHeading,
  drawParagraph,
  drawText,
  ensureSpace,
  newPage,
  PAGE,
  wrapText,
} from "./canvas.js";
import { countsCells, countsColumns } from "./counts-table.js";
import { formatChange, formatInteger, formatPercent, formatPeriod } from "./format.js";
import { drawTable, type TableRow } from "./table.js";
import { drawTrendChart } from "./trend.js";

interface Kpi {
  label: string;
  value: string;
  note: string;
}

/** Summary page: KPIs, votes by channel, coverage, participation and the trend. */
export function drawSummary(c: Canvas): void {
  const { report, cat } = c;
  newPage(c);
  drawHeading(c, cat.summary, 1);
  drawKpis(c, [
    { label: cat.totalVotes, value: formatInteger(report.totals.total, cat), note: formatPeriod(report.period, cat) },
    {
      label: cat.satisfactionIndex,
      value: formatPercent(report.totals.satisfactionIndex, cat),
      note: cat.indexHint,
    },
    comparisonKpi(c, cat.vsPrevious, report.previous),
    comparisonKpi(c, cat.vsYearAgo, report.yearAgo),
  ]);
  drawHeading(c, cat.byChannel, 2);
  const channelRows: TableRow[] = report.channels.map((row) => ({
    cells: [cat.channels[row.channel], ...countsCells(row.counts, report.minCellSize, cat)],
  }));
  channelRows.push({ kind: "subgroup", cells: [cat.total, ...countsCells(report.totals, report.minCellSize, cat)] });
  drawTable(c, countsColumns(cat, cat.byChannel), channelRows);
  drawCoverage(c);
  drawParticipation(c);
  drawHeading(c, cat.trendChart, 2, 200);
  drawTrendChart(c, report.trend);
}

function comparisonKpi(c: Canvas, label: string, comparison: PeriodComparison): Kpi {
  const period = formatPeriod(comparison.period, c.cat);
  return {
    label,
    value: formatChange(comparison.indexChange, c.cat),
    note: c.cat.votesIn(formatInteger(comparison.total, c.cat), period),
  };
}

/** A row of boxes with a big figure each; the label and note say what it is in words. */
function drawKpis(c: Canvas, kpis: Kpi[]): void {
  const gap = 8;
  const width = (PAGE.contentWidth - gap * (kpis.length - 1)) / kpis.length;
  const height = 86;
  ensureSpace(c, height);
  kpis.forEach((kpi, i) => {
    const x = PAGE.left + i * (width + gap);
    c.doc.roundedRect(x, c.y, width, height, 4).fillColor(COLOURS.band).fill();
    const inner = width - 16;
    // The label may take two lines; the figure sits below the second.
    wrapText(c, kpi.label, { size: 8 }, inner)
      .slice(0, 2)
      .forEach((line, n) => {
        drawText(c, line, x + 8, c.y + 7 + n * 10, { size: 8, color: COLOURS.muted, width: inner });
      });
    drawText(c, kpi.value, x + 8, c.y + 30, { weight: "bold", size: 20, color: COLOURS.brand, width: inner });
    drawText(c, kpi.note, x + 8, c.y + 64, { size: 7.5, color: COLOURS.muted, width: inner });
  });
  c.y += height + 12;
}

function drawCoverage(c: Canvas): void {
  const { coverage } = c.report;
  const n = (v: number) => formatInteger(v, c.cat);
  drawHeading(c, c.cat.coverage, 2, 30);
  drawParagraph(c, c.cat.servicesActive(n(coverage.servicesActive), n(coverage.servicesConfigured)), { size: 9.5 });
  drawParagraph(c, c.cat.kiosksActive(n(coverage.kiosksActive), n(coverage.kiosksConfigured)), { size: 9.5 });
  c.y += 6;
}

/** Participation exists only where users-served counts were imported (per service and channel). */
function drawParticipation(c: Canvas): void {
  const { cat } = c;
  const rows = allServices(c).flatMap((service) =>
    service.channels
      .filter((row) => row.served !== null)
      .map((row) => ({
        cells: [
          `${service.name} – ${cat.channels[row.channel]}`,
          formatInteger(row.counts.total, cat),
          formatInteger(row.served ?? 0, cat),
          formatPercent(row.participationRate, cat),
        ],
      })),
  );
  drawHeading(c, cat.participation, 2, 30);
  if (rows.length === 0) {
    drawParagraph(c, cat.participationNone, { size: 9.5, color: COLOURS.muted });
    c.y += 6;
    return;
  }
  const columns = [
    { header: cat.service },
    { header: cat.votes, width: 60, align: "right" as const },
    { header: cat.served, width: 80, align: "right" as const },
    { header: cat.share, width: 60, align: "right" as const },
  ];
  drawTable(c, columns, rows);
}

/** Services in report order: office, then desk, then service. */
export function allServices(c: Canvas): ServiceRow[] {
  return c.report.offices.flatMap((office) => office.desks.flatMap((desk) => desk.services));
}
