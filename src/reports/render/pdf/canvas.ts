import type { ReportDocument } from "../../domain/report-document.js";
import type { Catalogue } from "./catalogue.js";
import { splitRuns, type Weight } from "./fonts.js";

/** A4 in points (ISO 216: 210 × 297 mm) and the text block inside the margins. */
export const PAGE = {
  width: 595.28,
  height: 841.89,
  left: 56,
  right: 595.28 - 56,
  top: 56,
  bottom: 841.89 - 64,
  contentWidth: 595.28 - 112,
} as const;

/** Colours of the three faces, plus neutral tones; text on amber is dark for contrast (WCAG 1.4.3). */
export const COLOURS = {
  positive: "#1e7b34",
  sufficient: "#f0b400",
  negative: "#c0262d",
  suppressed: "#b8c0c8",
  text: "#1a1a1a",
  muted: "#5c6f82",
  brand: "#0066cc",
  rule: "#c5cdd6",
  band: "#eef2f6",
} as const;

/** Everything a section needs: the pdfkit document, texts, the report and the write position. */
export interface Canvas {
  readonly doc: PDFKit.PDFDocument;
  readonly cat: Catalogue;
  readonly report: ReportDocument;
  /** Top of the next thing to draw on the current page. */
  y: number;
}

export interface TextStyle {
  weight?: Weight;
  size?: number;
  color?: string;
}

export interface LineOptions extends TextStyle {
  /** Truncate with an ellipsis beyond this width. */
  width?: number;
  align?: "left" | "right" | "center";
}

export function lineHeight(style: TextStyle): number {
  return (style.size ?? 10) * 1.3;
}

/** Width of a text across its latin / latin-ext runs. */
export function measureText(c: Canvas, text: string, style: TextStyle): number {
  let width = 0;
  for (const run of splitRuns(text, style.weight ?? "regular")) {
    width += c.doc
      .font(run.font)
      .fontSize(style.size ?? 10)
      .widthOfString(run.text);
  }
  return width;
}

/**
 * Draws one line of text with its top at `y`. Runs are placed one after the
 * other by hand, not with pdfkit's `continued`, because a run may switch face
 * mid-word (Nabre|ž|ina) and pdfkit would wrap between them.
 */
export function drawText(c: Canvas, text: string, x: number, y: number, options: LineOptions = {}): void {
  const fitted = options.width === undefined ? text : truncate(c, text, options, options.width);
  const width = measureText(c, fitted, options);
  const box = options.width ?? width;
  let cursor = options.align === "right" ? x + box - width : options.align === "center" ? x + (box - width) / 2 : x;
  c.doc.fillColor(options.color ?? COLOURS.text);
  for (const run of splitRuns(fitted, options.weight ?? "regular")) {
    c.doc.font(run.font).fontSize(options.size ?? 10);
    c.doc.text(run.text, cursor, y, { lineBreak: false });
    cursor += c.doc.widthOfString(run.text);
  }
}

function truncate(c: Canvas, text: string, style: TextStyle, width: number): string {
  if (measureText(c, text, style) <= width) return text;
  const chars = [...text];
  while (chars.length > 0 && measureText(c, `${chars.join("").trimEnd()}…`, style) > width) chars.pop();
  return `${chars.join("").trimEnd()}…`;
}

/** Greedy word wrap; a word longer than the line is left to `drawText` to truncate. */
export function wrapText(c: Canvas, text: string, style: TextStyle, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (line !== "" && measureText(c, candidate, style) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** Draws wrapped text at the cursor, breaking pages between lines. */
export function drawParagraph(
  c: Canvas,
  text: string,
  style: TextStyle,
  x: number = PAGE.left,
  width: number = PAGE.right - x,
): void {
  for (const line of wrapText(c, text, style, width)) {
    ensureSpace(c, lineHeight(style));
    drawText(c, line, x, c.y, { ...style, width });
    c.y += lineHeight(style);
  }
}

export function newPage(c: Canvas): void {
  c.doc.addPage({ size: "A4", margin: 0 });
  c.y = PAGE.top;
}

/** Starts a new page unless `height` more points fit on this one; true when it did. */
export function ensureSpace(c: Canvas, height: number): boolean {
  if (c.y + height <= PAGE.bottom) return false;
  newPage(c);
  return true;
}

/**
 * A section heading, kept on the page of what follows it (`keepWithNext`
 * points of content must fit under it, or it moves to the next page).
 */
export function drawHeading(c: Canvas, text: string, level: 1 | 2, keepWithNext = 60): void {
  const size = level === 1 ? 16 : 11.5;
  const before = level === 1 || c.y === PAGE.top ? 0 : 10;
  ensureSpace(c, before + lineHeight({ size }) + keepWithNext);
  if (c.y !== PAGE.top) c.y += before;
  drawText(c, text, PAGE.left, c.y, { weight: "bold", size, color: level === 1 ? COLOURS.brand : COLOURS.text });
  c.y += lineHeight({ size });
  if (level === 1) {
    c.doc.moveTo(PAGE.left, c.y).lineTo(PAGE.right, c.y).lineWidth(0.8).strokeColor(COLOURS.brand).stroke();
    c.y += 10;
  } else {
    c.y += 2;
  }
}

/** "Pagina X di Y" and the report's identity at the foot of every page (needs `bufferPages`). */
export function drawFooters(c: Canvas, label: string): void {
  const range = c.doc.bufferedPageRange();
  const y = PAGE.height - 44;
  for (let i = range.start; i < range.start + range.count; i++) {
    c.doc.switchToPage(i);
    c.doc
      .moveTo(PAGE.left, y - 6)
      .lineTo(PAGE.right, y - 6)
      .lineWidth(0.5)
      .strokeColor(COLOURS.rule)
      .stroke();
    const pageText = c.cat.pageOf(i - range.start + 1, range.count);
    const half = PAGE.contentWidth / 2;
    drawText(c, label, PAGE.left, y, { size: 8, color: COLOURS.muted, width: half + 60 });
    drawText(c, pageText, PAGE.right - half + 60, y, {
      size: 8,
      color: COLOURS.muted,
      width: half - 60,
      align: "right",
    });
  }
}
