import PDFDocument from "pdfkit";

/** A small, deterministic one-page PDF from pdfkit (classic xref table, compressed content). */
export function makeTestPdf(text = "Relazione di prova — Forlì"): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: "A4",
    pdfVersion: "1.7",
    info: { Title: "Test", CreationDate: new Date("2026-01-01T00:00:00Z") },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });
  doc.fontSize(18).text(text);
  doc.end();
  return done;
}
