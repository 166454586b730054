/**
 * Writes `daticert.xml` (DM 2 novembre 2005, Allegato "Schema dei dati di certificazione"; RFC 6109
 * §4.3), the inverse of `../parse-daticert.ts`. Elements in the DTD's order; every value
 * XML-escaped; no DOCTYPE (our parser refuses one, and the DTD is never fetched).
 *
 * ```dtd
 * <!ELEMENT postacert (intestazione, dati)>
 * <!ELEMENT intestazione (mittente, destinatari+, risposte, oggetto?)>
 * <!ELEMENT dati (gestore-emittente, data, identificativo, msgid?, ricevuta?, consegna?, ricezione*, errore-esteso?)>
 * ```
 */
import type { DaticertError, DaticertRecipient, DaticertType, ReceiptDetail } from "../domain/daticert.js";
import { PROVIDER_TIME_ZONE, providerTime } from "./provider-time.js";

export interface DaticertInput {
  readonly type: DaticertType;
  /** Default `nessuno`. */
  readonly error?: DaticertError;
  readonly sender: string;
  /** At least one (`destinatari+`). */
  readonly recipients: readonly DaticertRecipient[];
  /** `risposte`; default the sender. */
  readonly replyTo?: string;
  /** `oggetto`, the decoded subject; omitted when null or absent. */
  readonly subject?: string | null;
  /** `gestore-emittente`, e.g. "Faccia PEC sandbox". */
  readonly provider: string;
  readonly at: Date;
  /** IANA zone of `<data>`; default Europe/Rome. */
  readonly timeZone?: string;
  readonly identificativo: string;
  /** The Message-ID the sender submitted, without angle brackets (written `&lt;id&gt;`). */
  readonly msgid?: string | null;
  readonly receiptDetail?: ReceiptDetail | null;
  /** `consegna`: the recipient a delivery receipt or failure is about. */
  readonly delivery?: string | null;
  readonly takenInCharge?: readonly string[];
  readonly extendedError?: string | null;
}

/**
 * @example
 * const xml = writeDaticert({ type: "accettazione", sender, recipients, provider: "Sandbox",
 *   at: clock.now(), identificativo, msgid: "abc@host" });
 */
export function writeDaticert(input: DaticertInput): Uint8Array {
  if (input.recipients.length === 0) throw new TypeError("daticert needs at least one recipient (destinatari+)");
  const date = providerTime(input.at, input.timeZone ?? PROVIDER_TIME_ZONE);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<postacert tipo="${escapeXml(input.type)}" errore="${escapeXml(input.error ?? "nessuno")}">`,
    "  <intestazione>",
    element("mittente", input.sender, 4),
    ...input.recipients.map(
      ({ address, kind }) => `    <destinatari tipo="${escapeXml(kind)}">${escapeXml(address)}</destinatari>`,
    ),
    element("risposte", input.replyTo ?? input.sender, 4),
    ...optional("oggetto", input.subject, 4),
    "  </intestazione>",
    "  <dati>",
    element("gestore-emittente", input.provider, 4),
    `    <data zona="${escapeXml(date.zone)}">`,
    element("giorno", date.day, 6),
    element("ora", date.time, 6),
    "    </data>",
    element("identificativo", input.identificativo, 4),
    ...optional("msgid", input.msgid == null ? null : `<${input.msgid}>`, 4),
    ...(input.receiptDetail == null ? [] : [`    <ricevuta tipo="${escapeXml(input.receiptDetail)}" />`]),
    ...optional("consegna", input.delivery, 4),
    ...(input.takenInCharge ?? []).map((address) => element("ricezione", address, 4)),
    ...optional("errore-esteso", input.extendedError, 4),
    "  </dati>",
    "</postacert>",
    "",
  ];
  return new TextEncoder().encode(lines.join("\r\n"));
}

function element(name: string, value: string, indent: number): string {
  return `${" ".repeat(indent)}<${name}>${escapeXml(value)}</${name}>`;
}

function optional(name: string, value: string | null | undefined, indent: number): string[] {
  return value == null ? [] : [element(name, value, indent)];
}

/**
 * XML 1.0 §2.4 and §3.3.3: markup characters become references, and so do the white-space
 * controls (an attribute would normalise them away); characters outside §2.2 `Char` become U+FFFD.
 */
export function escapeXml(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/[&<>"'\t\n\r]/g, (char) => XML_ESCAPES[char] ?? char);
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};
