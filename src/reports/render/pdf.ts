import PDFDocument from "pdfkit";
import type { ReportDocument } from "../domain/report-document.js";
import { type Canvas, drawFooters } from "./pdf/canvas.js";
import { type Catalogue, catalogueFor } from "./pdf/catalogue.js";
import { registerFonts } from "./pdf/fonts.js";
import { formatPeriod } from "./pdf/format.js";
import { drawOfficeTables, drawServiceChart } from "./pdf/offices.js";
import { drawDataQuality, drawReasons } from "./pdf/quality.js";
import { drawSummary } from "./pdf/summary.js";
import { drawTitlePage } from "./pdf/title-page.js";

export interface RenderPdfOptions {
  /**
   * Deflate page content and font streams (default true). Off only to inspect
   * the PDF source by hand; the bytes are deterministic either way.
   */
  compress?: boolean;
}

/**
 * Renders the satisfaction report as an A4 PDF (issue 4 "Formats" → PDF):
 * title page, summary KPIs and trend, bars per service, per-office tables,
 * reasons, data quality, "Pagina X di Y" on every page; real text in
 * embedded Titillium Web, vector charts, document metadata and /Lang.
 *
 * Deterministic (issue 4 "Determinism"): the same document gives the same
 * bytes. pdfkit's only clock read is the default /CreationDate, replaced here
 * by `generatedAt`; its file /ID is an MD5 of the info dictionary, so it
 * follows; font subset tags derive from the font's order of first use.
 * `doc.artifacts` is ignored, because it will carry this PDF's own hash.
 *
 * @example
 * const bytes = await renderPdf(report);
 * await writeFile(`${report.entity.ipaCode}-${report.period.label}.pdf`, bytes);
 */
export async function renderPdf(report: ReportDocument, options: RenderPdfOptions = {}): Promise<Uint8Array> {
  const cat = catalogueFor(report.language);
  const doc = createDocument(report, cat, options);
  const bytes = collect(doc);
  registerFonts(doc);
  const canvas: Canvas = { doc, cat, report, y: 0 };
  doc.addPage({ size: "A4", margin: 0 });
  drawTitlePage(canvas);
  drawSummary(canvas);
  drawServiceChart(canvas);
  drawOfficeTables(canvas);
  drawReasons(canvas);
  drawDataQuality(canvas);
  drawFooters(canvas, `${report.entity.name} · ${cat.reportTitle} · ${formatPeriod(report.period, cat)}`);
  doc.end();
  return bytes;
}

function createDocument(report: ReportDocument, cat: Catalogue, options: RenderPdfOptions): PDFKit.PDFDocument {
  const period = formatPeriod(report.period, cat);
  const generatedAt = new Date(report.generatedAt);
  if (Number.isNaN(generatedAt.getTime())) throw new RangeError(`invalid generatedAt: ${report.generatedAt}`);
  return new PDFDocument({
    size: "A4",
    // /Lang needs PDF 1.4 (ISO 32000-1 §14.9.2); 1.7 is what readers expect today.
    pdfVersion: "1.7",
    lang: cat.lang,
    displayTitle: true,
    compress: options.compress ?? true,
    autoFirstPage: false,
    // Footers with the page count are drawn once every page exists.
    bufferPages: true,
    // No default font: pdfkit would otherwise load Helvetica, a non-embedded standard font.
    font: "",
    info: {
      Title: `${cat.reportTitle} – ${report.entity.name} – ${period}`,
      Author: report.entity.name,
      Subject: cat.subject(period),
      Keywords: [cat.programme, "customer satisfaction", report.entity.ipaCode, report.period.label].join(", "),
      Creator: `Faccia ${report.softwareVersion}`,
      Producer: `Faccia ${report.softwareVersion}`,
      CreationDate: generatedAt,
      ModDate: generatedAt,
    },
  });
}

/** Gathers the stream pdfkit writes into one buffer, resolved when the document ends. */
function collect(doc: PDFKit.PDFDocument): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });
}
