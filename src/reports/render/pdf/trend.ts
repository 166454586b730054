import type { TrendPoint } from "../../domain/report-document.js";
import { type Canvas, COLOURS, drawText, ensureSpace, measureText, PAGE } from "./canvas.js";
import { formatDecimal, formatInteger, formatPeriodShort } from "./format.js";

/**
 * Trend over the last periods: votes as bars (left scale), satisfaction
 * index as a line with markers (right scale, 0–100 %). Bars and line differ
 * in shape, not only colour; two rows of figures under the axis repeat every
 * value as text, so the chart reads without the graphics too.
 */
const PLOT = { x: PAGE.left + 56, width: PAGE.contentWidth - 56 - 30, height: 130 };
const BAR_COLOUR = "#9cc3ea";
const LINE_COLOUR = "#0b3d91";

export function drawTrendChart(c: Canvas, trend: TrendPoint[]): void {
  ensureSpace(c, PLOT.height + 84);
  drawTrendLegend(c);
  const top = c.y + 8;
  const bottom = top + PLOT.height;
  // Four grid steps of a round, whole number of votes.
  const maxVotes = 4 * niceCeiling(Math.max(1, ...trend.map((p) => p.total)) / 4);
  drawGrid(c, top, bottom, maxVotes);
  const step = PLOT.width / Math.max(trend.length, 1);
  trend.forEach((point, i) => {
    const h = (point.total / maxVotes) * PLOT.height;
    const x = PLOT.x + i * step + step * 0.2;
    if (h > 0)
      c.doc
        .rect(x, bottom - h, step * 0.6, h)
        .fillColor(BAR_COLOUR)
        .fill();
  });
  drawIndexLine(c, trend, bottom, step);
  c.y = bottom + 4;
  drawFigureRow(c, "", trend, step, (p) => formatPeriodShort(p.period, c.cat), "bold");
  drawFigureRow(c, c.cat.votes, trend, step, (p) => formatInteger(p.total, c.cat), "regular");
  drawFigureRow(c, c.cat.index, trend, step, (p) => indexText(c, p), "regular");
  c.y += 10;
}

function indexText(c: Canvas, point: TrendPoint): string {
  return point.satisfactionIndex === null ? "–" : formatDecimal(point.satisfactionIndex, c.cat);
}

function drawTrendLegend(c: Canvas): void {
  c.doc
    .rect(PAGE.left, c.y + 1, 14, 9)
    .fillColor(BAR_COLOUR)
    .fill();
  drawText(c, c.cat.trendVotes, PAGE.left + 18, c.y, { size: 8 });
  const x = PAGE.left + 18 + measureText(c, c.cat.trendVotes, { size: 8 }) + 18;
  c.doc
    .moveTo(x, c.y + 5.5)
    .lineTo(x + 14, c.y + 5.5)
    .lineWidth(1.5)
    .strokeColor(LINE_COLOUR)
    .stroke();
  c.doc
    .circle(x + 7, c.y + 5.5, 2.2)
    .fillColor(LINE_COLOUR)
    .fill();
  drawText(c, c.cat.trendIndex, x + 18, c.y, { size: 8 });
  c.y += 16;
}

/** Horizontal grid with the votes scale on the left and the index scale on the right. */
function drawGrid(c: Canvas, top: number, bottom: number, maxVotes: number): void {
  for (let i = 0; i <= 4; i++) {
    const y = bottom - (i / 4) * (bottom - top);
    c.doc
      .moveTo(PLOT.x, y)
      .lineTo(PLOT.x + PLOT.width, y)
      .lineWidth(i === 0 ? 0.8 : 0.3)
      .strokeColor(COLOURS.rule)
      .stroke();
    const votes = formatInteger((maxVotes * i) / 4, c.cat);
    drawText(c, votes, PAGE.left, y - 4, { size: 7, color: COLOURS.muted, width: 50, align: "right" });
    drawText(c, `${i * 25}%`, PLOT.x + PLOT.width + 4, y - 4, { size: 7, color: COLOURS.muted });
  }
}

/** The index line; a period without votes leaves a gap instead of a misleading zero. */
function drawIndexLine(c: Canvas, trend: TrendPoint[], bottom: number, step: number): void {
  const at = (i: number, index: number) => ({
    x: PLOT.x + i * step + step / 2,
    y: bottom - (index / 100) * PLOT.height,
  });
  let drawing = false;
  trend.forEach((point, i) => {
    if (point.satisfactionIndex === null) {
      drawing = false;
      return;
    }
    const { x, y } = at(i, point.satisfactionIndex);
    if (drawing) c.doc.lineTo(x, y);
    else c.doc.moveTo(x, y);
    drawing = true;
  });
  c.doc.lineWidth(1.5).strokeColor(LINE_COLOUR).stroke();
  trend.forEach((point, i) => {
    if (point.satisfactionIndex === null) return;
    const { x, y } = at(i, point.satisfactionIndex);
    c.doc.circle(x, y, 2.2).fillColor(LINE_COLOUR).fill();
  });
}

function drawFigureRow(
  c: Canvas,
  title: string,
  trend: TrendPoint[],
  step: number,
  text: (point: TrendPoint) => string,
  weight: "regular" | "bold",
): void {
  drawText(c, title, PAGE.left, c.y, { size: 7, color: COLOURS.muted, width: 50, align: "right" });
  trend.forEach((point, i) => {
    const x = PLOT.x + i * step;
    drawText(c, text(point), x, c.y, { size: 7, weight, width: step, align: "center" });
  });
  c.y += 10;
}

/** 1, 2 or 5 times a power of ten, at least `n`: round numbers on the scale. */
export function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  const factor = [1, 2, 5, 10].find((f) => f * power >= n) ?? 10;
  return factor * power;
}
