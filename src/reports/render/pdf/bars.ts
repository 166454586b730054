import type { Cell, JudgmentCounts } from "../../domain/report-document.js";
import { type Canvas, COLOURS, drawText, ensureSpace, measureText, PAGE } from "./canvas.js";
import { formatInteger } from "./format.js";

/**
 * Horizontal stacked bars, one per service, drawn as vector paths.
 * Colour is never the only cue (WCAG 1.4.1): each share has its own fill
 * pattern (solid, diagonal stripes, cross-hatch, grey stripes for suppressed
 * cells), the legend repeats the patterns, and shares wide enough carry their
 * percentage as text.
 */
export type Fill = "positive" | "sufficient" | "negative" | "suppressed";

export interface BarItem {
  label: string;
  counts: JudgmentCounts;
}

const LABEL_WIDTH = 150;
const TOTAL_WIDTH = 48;
const ROW = 18;
const BAR = 11;
const BAR_X = PAGE.left + LABEL_WIDTH + 6;
const BAR_WIDTH = PAGE.contentWidth - LABEL_WIDTH - 6 - TOTAL_WIDTH - 6;

/** `ink` is the colour of text on the share, `lines` the colour of its pattern. */
const HATCH: Record<Fill, { base: string; ink: string; lines: string; style: "solid" | "stripes" | "cross" | "back" }> =
  {
    positive: { base: COLOURS.positive, ink: "#ffffff", lines: COLOURS.positive, style: "solid" },
    sufficient: { base: COLOURS.sufficient, ink: "#1a1a1a", lines: "#a67c00", style: "stripes" },
    negative: { base: COLOURS.negative, ink: "#ffffff", lines: "#7d1519", style: "cross" },
    suppressed: { base: COLOURS.suppressed, ink: "#1a1a1a", lines: "#7f8a95", style: "back" },
  };

/** Fills a rectangle with the colour and pattern of a share. */
export function fillShare(c: Canvas, fill: Fill, x: number, y: number, w: number, h: number): void {
  const { base, lines, style } = HATCH[fill];
  c.doc.rect(x, y, w, h).fillColor(base).fill();
  if (style === "solid") return;
  c.doc.save();
  c.doc.rect(x, y, w, h).clip();
  for (let d = -h; d < w; d += 4) {
    if (style !== "back") c.doc.moveTo(x + d, y + h).lineTo(x + d + h, y);
    if (style !== "stripes") c.doc.moveTo(x + d, y).lineTo(x + d + h, y + h);
  }
  c.doc.lineWidth(0.7).strokeColor(lines).stroke();
  c.doc.restore();
}

/** The legend: a swatch with the pattern of each share and its name. */
export function drawLegend(c: Canvas, entries: Array<{ fill: Fill; label: string }>): void {
  let x = PAGE.left;
  for (const entry of entries) {
    fillShare(c, entry.fill, x, c.y + 1, 14, 9);
    drawText(c, entry.label, x + 18, c.y, { size: 8 });
    x += 18 + measureText(c, entry.label, { size: 8 }) + 16;
  }
  c.y += 16;
}

export function drawServiceBars(c: Canvas, items: BarItem[]): void {
  const legend = shareLegend(c);
  ensureSpace(c, 16 + ROW * Math.min(items.length, 3));
  drawBarsHeader(c, legend);
  for (const item of items) {
    if (ensureSpace(c, ROW)) drawBarsHeader(c, legend);
    drawBarRow(c, item);
  }
  c.y += 6;
}

/** The legend, and the title of the totals column, repeated on every page the chart spans. */
function drawBarsHeader(c: Canvas, legend: Array<{ fill: Fill; label: string }>): void {
  const options = { size: 8, weight: "bold", color: COLOURS.muted, width: TOTAL_WIDTH, align: "right" } as const;
  drawText(c, c.cat.votes, PAGE.right - TOTAL_WIDTH, c.y, options);
  drawLegend(c, legend);
}

function shareLegend(c: Canvas): Array<{ fill: Fill; label: string }> {
  const { judgments } = c.cat;
  return [
    { fill: "positive", label: judgments.positive },
    { fill: "sufficient", label: judgments.sufficient },
    { fill: "negative", label: judgments.negative },
    { fill: "suppressed", label: c.cat.suppressedShare(c.report.minCellSize) },
  ];
}

function drawBarRow(c: Canvas, item: BarItem): void {
  const top = c.y + (ROW - BAR) / 2;
  drawText(c, item.label, PAGE.left, top + 0.5, { size: 8.5, width: LABEL_WIDTH });
  const total = formatInteger(item.counts.total, c.cat);
  drawText(c, total, PAGE.right - TOTAL_WIDTH, top + 0.5, { size: 8.5, width: TOTAL_WIDTH, align: "right" });
  c.doc.rect(BAR_X, top, BAR_WIDTH, BAR).lineWidth(0.4).strokeColor(COLOURS.rule).stroke();
  let x = BAR_X;
  for (const segment of segments(item.counts)) {
    const w = (segment.share / 100) * BAR_WIDTH;
    fillShare(c, segment.fill, x, top, w, BAR);
    if (segment.label !== null) drawShareLabel(c, segment.fill, segment.label, x, top, w);
    x += w;
  }
  c.y += ROW;
}

interface Segment {
  fill: Fill;
  share: number;
  label: string | null;
}

/**
 * Published shares in bar order. Suppressed cells are merged into one grey
 * remainder, so the bar shows no more than the tables do.
 */
export function segments(counts: JudgmentCounts): Segment[] {
  if (counts.total === 0) return [];
  const cells: Array<[Fill, Cell]> = [
    ["positive", counts.positive],
    ["sufficient", counts.sufficient],
    ["negative", counts.negative],
  ];
  const shown = cells.filter(([, cell]) => !cell.suppressed && cell.percent !== null && cell.percent > 0);
  const known = shown.reduce((sum, [, cell]) => sum + (cell.percent ?? 0), 0);
  const hidden = cells.some(([, cell]) => cell.suppressed);
  // Without suppression the rounded shares are rescaled to fill the bar exactly.
  const scale = hidden || known === 0 ? 1 : 100 / known;
  const result: Segment[] = shown.map(([fill, cell]) => {
    const percent = cell.percent ?? 0;
    return { fill, share: percent * scale, label: `${Math.round(percent)}%` };
  });
  if (hidden) result.push({ fill: "suppressed", share: Math.max(0, 100 - known), label: null });
  return result;
}

function drawShareLabel(c: Canvas, fill: Fill, label: string, x: number, top: number, w: number): void {
  const width = measureText(c, label, { weight: "bold", size: 7 });
  if (w < width + 8) return;
  const pill = { x: x + (w - width - 4) / 2, w: width + 4 };
  c.doc
    .rect(pill.x, top + 1.5, pill.w, BAR - 3)
    .fillColor(HATCH[fill].base)
    .fill();
  drawText(c, label, pill.x + 2, top + 1.8, { weight: "bold", size: 7, color: HATCH[fill].ink });
}
