import { type Canvas, COLOURS, drawText, ensureSpace, PAGE } from "./canvas.js";

export interface Column {
  header: string;
  /** Fixed width in points; the column without one takes the remaining width. */
  width?: number;
  align?: "left" | "right";
}

/**
 * "group": a bold row on a band (an office); "subgroup": a bold row (a desk);
 * "item": a plain row (a service); "detail": a smaller grey row under it (a channel).
 */
export type RowKind = "group" | "subgroup" | "item" | "detail";

export interface TableRow {
  cells: string[];
  kind?: RowKind;
  /** Indent of the first cell, in levels. */
  indent?: number;
}

const ROW_HEIGHT = 15;
const HEADER_HEIGHT = 18;
const PADDING = 4;

interface Placed {
  x: number;
  width: number;
  align: "left" | "right";
}

function placeColumns(columns: Column[]): Placed[] {
  const fixed = columns.reduce((sum, col) => sum + (col.width ?? 0), 0);
  const flexible = columns.filter((col) => col.width === undefined).length;
  const rest = flexible > 0 ? (PAGE.contentWidth - fixed) / flexible : 0;
  let x = PAGE.left;
  return columns.map((col) => {
    const placed = { x, width: col.width ?? rest, align: col.align ?? "left" };
    x += placed.width;
    return placed;
  });
}

/**
 * Draws a table at the cursor. Rows never split; when the next row does not
 * fit, the table continues on a new page under a repeated header row.
 */
export function drawTable(c: Canvas, columns: Column[], rows: TableRow[]): void {
  const placed = placeColumns(columns);
  ensureSpace(c, HEADER_HEIGHT + ROW_HEIGHT * Math.min(rows.length, 2));
  drawHeaderRow(c, columns, placed);
  rows.forEach((row, i) => {
    if (ensureSpace(c, ROW_HEIGHT)) drawHeaderRow(c, columns, placed);
    drawRow(c, row, placed, i === rows.length - 1);
  });
  c.y += 8;
}

function drawHeaderRow(c: Canvas, columns: Column[], placed: Placed[]): void {
  c.doc.rect(PAGE.left, c.y, PAGE.contentWidth, HEADER_HEIGHT).fillColor(COLOURS.band).fill();
  columns.forEach((col, i) => {
    const at = placed[i];
    if (at === undefined) return;
    const width = at.width - 2 * PADDING;
    drawText(c, col.header, at.x + PADDING, c.y + 5, {
      weight: "bold",
      size: 8,
      color: COLOURS.muted,
      width,
      align: at.align,
    });
  });
  c.y += HEADER_HEIGHT;
}

function drawRow(c: Canvas, row: TableRow, placed: Placed[], last: boolean): void {
  const kind = row.kind ?? "item";
  if (kind === "group") c.doc.rect(PAGE.left, c.y, PAGE.contentWidth, ROW_HEIGHT).fillColor("#f6f8fa").fill();
  const size = kind === "detail" ? 7.5 : 8.5;
  const color = kind === "detail" ? COLOURS.muted : COLOURS.text;
  const weight = kind === "group" || kind === "subgroup" ? "bold" : "regular";
  row.cells.forEach((text, i) => {
    const at = placed[i];
    if (at === undefined) return;
    const indent = i === 0 ? (row.indent ?? 0) * 10 : 0;
    const width = at.width - 2 * PADDING - indent;
    drawText(c, text, at.x + PADDING + indent, c.y + 3.5, { weight, size, color, width, align: at.align });
  });
  const ruleY = c.y + ROW_HEIGHT;
  c.doc
    .moveTo(PAGE.left, ruleY)
    .lineTo(PAGE.right, ruleY)
    .lineWidth(last ? 0.8 : 0.3)
    .strokeColor(COLOURS.rule)
    .stroke();
  c.y += ROW_HEIGHT;
}
