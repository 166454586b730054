/**
 * The fictitious people the development IdP lets anyone log in as (issue 7): one per staff role
 * of the demo comune. Their fiscal codes are well formed (DM 23 dicembre 1976, check character
 * included) but belong to nobody: the names and birth data are made up.
 */

export interface DevIdpUser {
  /** The staff role the user is meant to have in the demo comune: "admin" | "secretary" | "operator". */
  readonly key: string;
  /** A person's codice fiscale, 16 characters, without the `TINIT-` prefix. */
  readonly fiscalNumber: string;
  readonly name: string;
  readonly familyName: string;
  readonly email: string;
  /** The role in Italian, shown on the user chooser. */
  readonly roleLabel: string;
}

export const DEV_IDP_USERS: readonly DevIdpUser[] = [
  {
    key: "admin",
    // Bianchi Giulia, born 1 January 1980 (41 = 1 + 40: a woman) in Roma (H501).
    fiscalNumber: "BNCGLI80A41H501C",
    name: "Giulia",
    familyName: "Bianchi",
    email: "giulia.bianchi@comune-demo.invalid",
    roleLabel: "Amministratore",
  },
  {
    key: "secretary",
    // Verdi Marco, born 15 March 1975 in Milano (F205).
    fiscalNumber: "VRDMRC75C15F205Q",
    name: "Marco",
    familyName: "Verdi",
    email: "marco.verdi@comune-demo.invalid",
    roleLabel: "Segretario comunale",
  },
  {
    key: "operator",
    // Esposito Anna, born 22 July 1990 (62 = 22 + 40) in Napoli (F839).
    fiscalNumber: "SPSNNA90L62F839A",
    name: "Anna",
    familyName: "Esposito",
    email: "anna.esposito@comune-demo.invalid",
    roleLabel: "Operatore",
  },
];
