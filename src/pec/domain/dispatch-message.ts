/**
 * What a dispatch says (issue 6 "Sending"), pure: the subject and Italian text of the PEC message
 * that carries a signed satisfaction report, which report files travel with it, and our own
 * Message-ID (RFC 5322 §3.6.4), which every receipt refers back to (reference/pec.md §5).
 */

export interface DispatchRecipient {
  readonly name: string;
  readonly address: string;
  readonly ipaCode: string | null;
  /** Cc rather than To. PEC has no Bcc (RFC 6109 §3.1.1). */
  readonly copy: boolean;
}

export interface ReportToSend {
  readonly entityName: string;
  readonly ipaCode: string;
  readonly periodLabel: string;
  readonly firstDay: string;
  readonly lastDay: string;
  /** The report's files by format (`pdf.p7m`, `json.p7m`, `signed.pdf`, `json`, `csv`, `pdf`). */
  readonly formats: readonly string[];
}

export interface DispatchAttachment {
  readonly format: string;
  readonly filename: string;
  readonly contentType: string;
}

/**
 * The files a signed report travels with: the signed PDF (CAdES `.pdf.p7m` or PAdES), the signed
 * JSON when there is one (else the JSON: programs read it), and the CSV. Null when the report holds
 * no signed file at all: only signed reports are sent.
 */
export function attachmentsOf(report: ReportToSend): DispatchAttachment[] | null {
  const has = (format: string) => report.formats.includes(format);
  const base = `relazione-${report.ipaCode}-${report.periodLabel}`;
  const files: DispatchAttachment[] = [];
  if (has("pdf.p7m"))
    files.push({ format: "pdf.p7m", filename: `${base}.pdf.p7m`, contentType: "application/pkcs7-mime" });
  else if (has("signed.pdf"))
    files.push({ format: "signed.pdf", filename: `${base}.pdf`, contentType: "application/pdf" });
  else return null;
  if (has("json.p7m"))
    files.push({ format: "json.p7m", filename: `${base}.json.p7m`, contentType: "application/pkcs7-mime" });
  else if (has("json")) files.push({ format: "json", filename: `${base}.json`, contentType: "application/json" });
  if (has("csv")) files.push({ format: "csv", filename: `${base}.csv`, contentType: "text/csv; charset=utf-8" });
  return files;
}

export function dispatchSubject(report: ReportToSend): string {
  return `Mettiamoci la faccia - relazione sulla soddisfazione degli utenti - ${report.entityName} - periodo ${report.periodLabel}`;
}

export function dispatchText(report: ReportToSend, attachments: readonly DispatchAttachment[]): string {
  return [
    "Spettabile ufficio,",
    "",
    `si trasmette la relazione sulla soddisfazione degli utenti dei servizi di ${report.entityName}`,
    `(codice IPA ${report.ipaCode}), rilevata con il sistema "Mettiamoci la faccia",`,
    `per il periodo dal ${italianDate(report.firstDay)} al ${italianDate(report.lastDay)}.`,
    "",
    "Allegati:",
    ...attachments.map((file) => `- ${file.filename}`),
    "",
    "Il documento PDF è firmato digitalmente; i dati in formato JSON e CSV sono leggibili da programmi.",
    "Messaggio inviato automaticamente da Faccia tramite posta elettronica certificata.",
    "",
  ].join("\n");
}

function italianDate(isoDay: string): string {
  const [year, month, day] = isoDay.split("-");
  return `${day}/${month}/${year}`;
}

/** `faccia.<dispatch id>@<domain of the sending box>`: unique, ours, and recognisable in receipts. */
export function dispatchMessageId(dispatchId: string, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf("@") + 1) || "faccia.invalid";
  return `faccia.${dispatchId}@${domain}`;
}
