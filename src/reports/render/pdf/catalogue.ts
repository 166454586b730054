import type { Channel, Language } from "../../../shared/domain.js";

/**
 * Every fixed text of the PDF, one object per language. Italian is the
 * default (issue 4: "A4, Italian, English on request"); the kiosk's other
 * languages (de, fr, sl) fall back to Italian, the language of the record.
 */
export interface Catalogue {
  /** BCP 47 tag written to the catalog's /Lang (ISO 32000-1 §14.9.2). */
  lang: string;
  decimalSeparator: string;
  thousandsSeparator: string;
  months: readonly string[];
  reportTitle: string;
  programme: string;
  entity: string;
  ipaCode: string;
  period: string;
  periodDates: (first: string, last: string) => string;
  quarter: (q: number, year: string) => string;
  year: (year: string) => string;
  legalBasis: string;
  generatedAt: string;
  software: string;
  suppressionNote: (n: number) => string;
  pageOf: (page: number, pages: number) => string;
  subject: (period: string) => string;
  summary: string;
  totalVotes: string;
  satisfactionIndex: string;
  indexHint: string;
  vsPrevious: string;
  vsYearAgo: string;
  pointsUnit: string;
  votesIn: (total: string, period: string) => string;
  coverage: string;
  servicesActive: (active: string, configured: string) => string;
  kiosksActive: (active: string, configured: string) => string;
  byChannel: string;
  participation: string;
  participationNone: string;
  served: string;
  judgments: { positive: string; sufficient: string; negative: string };
  suppressedShare: (n: number) => string;
  channels: Record<Channel, string>;
  serviceChart: string;
  serviceChartNote: string;
  trendChart: string;
  trendVotes: string;
  trendIndex: string;
  offices: string;
  office: string;
  noDesk: string;
  service: string;
  total: string;
  index: string;
  votes: string;
  share: string;
  reasons: string;
  reasonsNote: string;
  reasonsByService: string;
  reason: string;
  noReasons: string;
  dataQuality: string;
  suspectedRepeats: string;
  lateVotes: string;
  lateVotesNote: string;
  originalPeriod: string;
  kiosks: string;
  kiosk: string;
  daysWithHeartbeat: string;
  daysOffline: string;
  rejections: string;
  rejectionCode: string;
  none: string;
  continued: string;
}

const it: Catalogue = {
  lang: "it-IT",
  decimalSeparator: ",",
  thousandsSeparator: ".",
  months: [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
  ],
  reportTitle: "Rapporto sulla soddisfazione degli utenti",
  programme: "Mettiamoci la faccia",
  entity: "Ente",
  ipaCode: "Codice IPA",
  period: "Periodo",
  periodDates: (first, last) => `dal ${first} al ${last}`,
  quarter: (q, year) => `${q}° trimestre ${year}`,
  year: (year) => `Anno ${year}`,
  legalBasis: "Riferimenti normativi",
  generatedAt: "Generato il",
  software: "Software",
  suppressionNote: (n) =>
    `Per tutelare la riservatezza, i conteggi inferiori a ${n} sono indicati come «<${n}»; i totali sono esatti.`,
  pageOf: (page, pages) => `Pagina ${page} di ${pages}`,
  subject: (period) => `Customer satisfaction «Mettiamoci la faccia», ${period}`,
  summary: "Sintesi",
  totalVotes: "Voti totali",
  satisfactionIndex: "Indice di soddisfazione",
  indexHint: "% di giudizi positivi",
  vsPrevious: "Rispetto al periodo precedente",
  vsYearAgo: "Rispetto a un anno prima",
  pointsUnit: "p.p.",
  votesIn: (total, period) => `${total} voti in ${period}`,
  coverage: "Copertura",
  servicesActive: (active, configured) => `Servizi con voti: ${active} su ${configured} configurati`,
  kiosksActive: (active, configured) => `Postazioni attive: ${active} su ${configured} configurate`,
  byChannel: "Voti per canale",
  participation: "Partecipazione (voti ÷ utenti serviti)",
  participationNone: "Nessun dato sugli utenti serviti per questo periodo.",
  served: "Utenti serviti",
  judgments: { positive: "Positivo", sufficient: "Sufficiente", negative: "Negativo" },
  suppressedShare: (n) => `Non pubblicato (<${n})`,
  channels: { desk: "Sportello", web: "Web", phone: "Telefono" },
  serviceChart: "Giudizi per servizio",
  serviceChartNote: "Quote sul totale dei voti del servizio; i valori esatti sono nelle tabelle per ufficio.",
  trendChart: "Andamento negli ultimi 12 periodi",
  trendVotes: "Voti (barre)",
  trendIndex: "Indice di soddisfazione % (linea)",
  offices: "Risultati per ufficio",
  office: "Ufficio",
  noDesk: "Senza sportello",
  service: "Sportello / servizio",
  total: "Totale",
  index: "Indice",
  votes: "Voti",
  share: "%",
  reasons: "Motivi dei giudizi negativi",
  reasonsNote: "Quote sul totale dei giudizi negativi.",
  reasonsByService: "Motivi per servizio",
  reason: "Motivo",
  noReasons: "Nessun giudizio negativo nel periodo.",
  dataQuality: "Qualità dei dati",
  suspectedRepeats: "Voti ripetuti sospetti esclusi",
  lateVotes: "Voti tardivi ricevuti in questo periodo",
  lateVotesNote: "Contati nel periodo in cui sono stati espressi.",
  originalPeriod: "Periodo del voto",
  kiosks: "Disponibilità delle postazioni",
  kiosk: "Postazione",
  daysWithHeartbeat: "Giorni attiva",
  daysOffline: "Giorni offline",
  rejections: "Voti rifiutati dal gateway",
  rejectionCode: "Codice",
  none: "Nessuno.",
  continued: "(segue)",
};

const en: Catalogue = {
  lang: "en-GB",
  decimalSeparator: ".",
  thousandsSeparator: ",",
  months: [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ],
  reportTitle: "User satisfaction report",
  programme: "Mettiamoci la faccia",
  entity: "Entity",
  ipaCode: "IPA code",
  period: "Period",
  periodDates: (first, last) => `from ${first} to ${last}`,
  quarter: (q, year) => `Q${q} ${year}`,
  year: (year) => `Year ${year}`,
  legalBasis: "Legal basis",
  generatedAt: "Generated on",
  software: "Software",
  suppressionNote: (n) => `To protect privacy, counts below ${n} are shown as "<${n}"; totals are exact.`,
  pageOf: (page, pages) => `Page ${page} of ${pages}`,
  subject: (period) => `"Mettiamoci la faccia" customer satisfaction, ${period}`,
  summary: "Summary",
  totalVotes: "Total votes",
  satisfactionIndex: "Satisfaction index",
  indexHint: "% positive ratings",
  vsPrevious: "Compared with the previous period",
  vsYearAgo: "Compared with a year earlier",
  pointsUnit: "pp",
  votesIn: (total, period) => `${total} votes in ${period}`,
  coverage: "Coverage",
  servicesActive: (active, configured) => `Services with votes: ${active} of ${configured} configured`,
  kiosksActive: (active, configured) => `Active kiosks: ${active} of ${configured} configured`,
  byChannel: "Votes by channel",
  participation: "Participation (votes ÷ users served)",
  participationNone: "No users-served figures for this period.",
  served: "Users served",
  judgments: { positive: "Positive", sufficient: "Sufficient", negative: "Negative" },
  suppressedShare: (n) => `Not published (<${n})`,
  channels: { desk: "Desk", web: "Web", phone: "Phone" },
  serviceChart: "Ratings by service",
  serviceChartNote: "Shares of each service's votes; exact figures are in the office tables.",
  trendChart: "Trend over the last 12 periods",
  trendVotes: "Votes (bars)",
  trendIndex: "Satisfaction index % (line)",
  offices: "Results by office",
  office: "Office",
  noDesk: "No desk",
  service: "Desk / service",
  total: "Total",
  index: "Index",
  votes: "Votes",
  share: "%",
  reasons: "Reasons for negative ratings",
  reasonsNote: "Shares of all negative ratings.",
  reasonsByService: "Reasons by service",
  reason: "Reason",
  noReasons: "No negative ratings in the period.",
  dataQuality: "Data quality",
  suspectedRepeats: "Suspected repeat votes excluded",
  lateVotes: "Late votes received in this period",
  lateVotesNote: "Counted in the period in which they were cast.",
  originalPeriod: "Period cast",
  kiosks: "Kiosk availability",
  kiosk: "Kiosk",
  daysWithHeartbeat: "Days active",
  daysOffline: "Days offline",
  rejections: "Votes rejected at the gateway",
  rejectionCode: "Code",
  none: "None.",
  continued: "(continued)",
};

export function catalogueFor(language: Language): Catalogue {
  return language === "en" ? en : it;
}
