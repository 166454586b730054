import { type Canvas, COLOURS, drawParagraph, drawText, lineHeight, PAGE } from "./canvas.js";
import { formatDateRange, formatInstant, formatPeriod } from "./format.js";

/** Title page: who, which period, under which law, when and by what it was made (issue 4 "Formats"). */
export function drawTitlePage(c: Canvas): void {
  const { report, cat } = c;
  c.doc.rect(0, 0, PAGE.width, 10).fillColor(COLOURS.brand).fill();
  drawFaces(c, PAGE.left, 90);
  drawText(c, cat.programme, PAGE.left + 100, 96, { weight: "bold", size: 13, color: COLOURS.brand });
  c.y = 170;
  drawParagraph(c, cat.reportTitle, { weight: "bold", size: 22, color: COLOURS.brand });
  c.y += 14;
  drawParagraph(c, report.entity.name, { weight: "bold", size: 26 });
  c.y += 16;
  drawField(c, cat.ipaCode, report.entity.ipaCode);
  drawField(c, cat.period, `${formatPeriod(report.period, cat)} (${report.period.label})`);
  drawField(c, "", formatDateRange(report.period, cat));
  c.y += 24;
  drawText(c, cat.legalBasis, PAGE.left, c.y, { weight: "bold", size: 11 });
  c.y += lineHeight({ size: 11 }) + 2;
  for (const line of report.legalBasis) {
    drawText(c, "•", PAGE.left, c.y, { size: 10 });
    drawParagraph(c, line, { size: 10 }, PAGE.left + 12);
    c.y += 2;
  }
  c.y = Math.max(c.y + 24, PAGE.bottom - 90);
  drawField(c, cat.generatedAt, formatInstant(report.generatedAt, report.entity.timezone, cat));
  drawField(c, cat.software, `Faccia ${report.softwareVersion}`);
  c.y += 8;
  drawParagraph(c, cat.suppressionNote(report.minCellSize), { size: 9, color: COLOURS.muted });
}

function drawField(c: Canvas, label: string, value: string): void {
  drawText(c, label, PAGE.left, c.y, { size: 10.5, color: COLOURS.muted, width: 110 });
  drawParagraph(c, value, { size: 10.5 }, PAGE.left + 116);
  c.y += 2;
}

/** The programme's three faces (positive, sufficient, negative), as simple vector drawings. */
function drawFaces(c: Canvas, x: number, y: number): void {
  const faces = [
    { colour: COLOURS.positive, smile: 4 },
    { colour: COLOURS.sufficient, smile: 0 },
    { colour: COLOURS.negative, smile: -4 },
  ];
  faces.forEach((face, i) => {
    const cx = x + 12 + i * 28;
    const cy = y + 12;
    c.doc.circle(cx, cy, 12).fillColor(face.colour).fill();
    c.doc
      .circle(cx - 4, cy - 3, 1.6)
      .circle(cx + 4, cy - 3, 1.6)
      .fillColor("#ffffff")
      .fill();
    const mouth = cy + 4 - face.smile / 2;
    c.doc
      .moveTo(cx - 5, mouth)
      .quadraticCurveTo(cx, mouth + face.smile, cx + 5, mouth)
      .lineWidth(1.4)
      .strokeColor("#ffffff")
      .stroke();
  });
}
