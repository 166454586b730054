/**
 * The PEC certification data `daticert.xml` (DM 2 novembre 2005, Allegato "Schema dei dati di
 * certificazione"; RFC 6109 §4.3): the model and the pure rules to read it. The XML parsing itself
 * lives in `../parse-daticert.ts` (it needs an XML library, which domain code does not import).
 *
 * ```dtd
 * <!ELEMENT postacert (intestazione, dati)>
 * <!ELEMENT intestazione (mittente, destinatari+, risposte, oggetto?)>
 * <!ELEMENT dati (gestore-emittente, data, identificativo, msgid?, ricevuta?, consegna?, ricezione*, errore-esteso?)>
 * ```
 */

/** `postacert/@tipo` (the DTD enumeration). */
export const DATICERT_TYPES = [
  "accettazione",
  "non-accettazione",
  "presa-in-carico",
  "avvenuta-consegna",
  "posta-certificata",
  "errore-consegna",
  "preavviso-errore-consegna",
  "rilevazione-virus",
] as const;
export type DaticertType = (typeof DATICERT_TYPES)[number];

/** `postacert/@errore`, default `nessuno`. */
export const DATICERT_ERRORS = ["nessuno", "no-dest", "no-dominio", "virus", "altro"] as const;
export type DaticertError = (typeof DATICERT_ERRORS)[number];

/** `destinatari/@tipo`: a PEC box, or ordinary mail (no delivery receipt will ever come). */
export type RecipientKind = "certificato" | "esterno";

/** `ricevuta/@tipo`. */
export type ReceiptDetail = "completa" | "breve" | "sintetica";

export interface DaticertRecipient {
  readonly address: string;
  readonly kind: RecipientKind;
}

/** `<data zona="+0100"><giorno>13/11/2018</giorno><ora>16:39:26</ora></data>`. */
export interface DaticertDate {
  readonly zone: string;
  readonly day: string;
  readonly time: string;
  /** The instant `giorno ora zona`; null when one of them is not well formed. */
  readonly instant: Date | null;
}

export interface Daticert {
  readonly type: DaticertType;
  readonly error: DaticertError;
  readonly sender: string;
  readonly recipients: readonly DaticertRecipient[];
  /** `risposte` (Reply-To). */
  readonly replyTo: string;
  /** `oggetto`, decoded subject; null when absent. */
  readonly subject: string | null;
  /** `gestore-emittente`. */
  readonly provider: string;
  readonly date: DaticertDate;
  /** The provider's id of the message: the same in the acceptance, the envelope and every receipt. */
  readonly identificativo: string;
  /** The Message-ID the sender submitted, without the angle brackets; null when absent. */
  readonly msgid: string | null;
  /** `ricevuta/@tipo`; null when there is no `ricevuta` element. */
  readonly receiptDetail: ReceiptDetail | null;
  /** `consegna`: the recipient this receipt is about. */
  readonly delivery: string | null;
  /** `ricezione`: recipients taken in charge (presa in carico). */
  readonly takenInCharge: readonly string[];
  /** `errore-esteso`, e.g. `5.1.1 - ARUBA PEC S.p.A. - indirizzo non valido`. */
  readonly extendedError: string | null;
}

export const DATICERT_PROBLEM_CODES = [
  /** A DOCTYPE or ENTITY declaration: refused before parsing (XXE, entity expansion). */
  "DATICERT_DOCTYPE_REFUSED",
  /** Not well-formed XML, or not UTF-8 text. */
  "DATICERT_NOT_XML",
  /** Well-formed, but not a `postacert` as the DTD describes it. */
  "DATICERT_INVALID",
  /** Larger than any real daticert (refused before parsing). */
  "DATICERT_TOO_LARGE",
] as const;
export type DaticertProblemCode = (typeof DATICERT_PROBLEM_CODES)[number];

export interface DaticertProblem {
  readonly code: DaticertProblemCode;
  readonly message: string;
}

export type DaticertResult =
  | { readonly ok: true; readonly daticert: Daticert }
  | { readonly ok: false; readonly problem: DaticertProblem };

export function isDaticertType(value: string): value is DaticertType {
  return (DATICERT_TYPES as readonly string[]).includes(value);
}

export function isDaticertError(value: string): value is DaticertError {
  return (DATICERT_ERRORS as readonly string[]).includes(value);
}

export function isReceiptDetail(value: string): value is ReceiptDetail {
  return value === "completa" || value === "breve" || value === "sintetica";
}

/**
 * The instant of `<data>`: local wall-clock time plus its offset (`+0100` winter, `+0200` summer),
 * as pn-ec's `createTimestampFromDaticertDate` builds it. Null when anything is malformed.
 */
export function daticertInstant(day: string, time: string, zone: string): Date | null {
  const d = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(day.trim());
  const t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time.trim());
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone.trim());
  if (d === null || t === null || z === null) return null;
  const [, dd, mm, yyyy] = d;
  const [, hh, mi, ss] = t;
  const [, sign, zh, zm] = z;
  const iso = `${yyyy}-${mm}-${dd}T${hh}:${mi}:${ss}${sign}${zh}:${zm}`;
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return null;
  // Date rolls 31/02 over into March: refuse what does not round-trip.
  const local = new Date(instant.getTime() + offsetMinutes(sign, zh, zm) * 60_000);
  return local.getUTCDate() === Number(dd) && local.getUTCMonth() + 1 === Number(mm) ? instant : null;
}

function offsetMinutes(sign: string | undefined, hours: string | undefined, minutes: string | undefined): number {
  const total = Number(hours) * 60 + Number(minutes);
  return sign === "-" ? -total : total;
}

/** `msgid` is written `<id@host>` (XML-escaped on the wire): the brackets are not part of the id. */
export function stripAngleBrackets(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith("<") && trimmed.endsWith(">") ? trimmed.slice(1, -1).trim() : trimmed;
}
