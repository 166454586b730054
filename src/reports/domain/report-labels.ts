import type { Language } from "../../shared/domain.js";

/** Fixed wording of the report that does not come from the entity's catalogue. */

/**
 * The legal basis printed on the report (issue 4 "Formats"; mlf-domain.md §0.7):
 * D.Lgs. 150/2009 art. 8 (performance measurement) and art. 19-bis (citizens'
 * participation), and CAD art. 7 c.3 (users rate online services). Legal
 * citations stay in Italian in every language.
 */
export const LEGAL_BASIS: readonly string[] = [
  "D.Lgs. 150/2009, art. 8 e art. 19-bis",
  "CAD (D.Lgs. 82/2005), art. 7, comma 3",
];

/** Label of the negative votes that carry no reason (the kiosk's "Preferisco non indicarlo"). */
export const NO_REASON_LABEL: Record<Language, string> = {
  it: "Motivo non indicato",
  en: "No reason given",
  de: "Kein Grund angegeben",
  fr: "Motif non indiqué",
  sl: "Razlog ni naveden",
};

/** Name of the group of services that belong to no desk. */
export const NO_DESK_NAME: Record<Language, string> = {
  it: "Senza sportello",
  en: "No desk",
  de: "Ohne Schalter",
  fr: "Sans guichet",
  sl: "Brez okenca",
};
