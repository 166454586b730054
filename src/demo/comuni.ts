/**
 * Real Italian comuni for synthetic demo data, largest first. The IPA code of
 * a comune is `c_` followed by its codice catastale (Belfiore code, assigned
 * by the Agenzia delle Entrate), e.g. `c_h501` for Roma. Populations are
 * rounded ISTAT figures (2023), used only to size each comune's share of votes.
 */
export interface Comune {
  /** Codice catastale (Belfiore), upper case as the Agenzia delle Entrate writes it. */
  cadastralCode: string;
  /** The entity's official name. */
  name: string;
  province: string;
  population: number;
}

export const COMUNI: readonly Comune[] = [
  { cadastralCode: "H501", name: "Roma Capitale", province: "RM", population: 2_750_000 },
  { cadastralCode: "F205", name: "Comune di Milano", province: "MI", population: 1_370_000 },
  { cadastralCode: "F839", name: "Comune di Napoli", province: "NA", population: 910_000 },
  { cadastralCode: "L219", name: "Comune di Torino", province: "TO", population: 850_000 },
  { cadastralCode: "G273", name: "Comune di Palermo", province: "PA", population: 630_000 },
  { cadastralCode: "D969", name: "Comune di Genova", province: "GE", population: 560_000 },
  { cadastralCode: "A944", name: "Comune di Bologna", province: "BO", population: 390_000 },
  { cadastralCode: "D612", name: "Comune di Firenze", province: "FI", population: 360_000 },
  { cadastralCode: "A662", name: "Comune di Bari", province: "BA", population: 317_000 },
  { cadastralCode: "C351", name: "Comune di Catania", province: "CT", population: 300_000 },
  { cadastralCode: "L781", name: "Comune di Verona", province: "VR", population: 255_000 },
  { cadastralCode: "L736", name: "Comune di Venezia", province: "VE", population: 250_000 },
  { cadastralCode: "F158", name: "Comune di Messina", province: "ME", population: 220_000 },
  { cadastralCode: "G224", name: "Comune di Padova", province: "PD", population: 207_000 },
  { cadastralCode: "L424", name: "Comune di Trieste", province: "TS", population: 200_000 },
  { cadastralCode: "B157", name: "Comune di Brescia", province: "BS", population: 197_000 },
  { cadastralCode: "G337", name: "Comune di Parma", province: "PR", population: 196_000 },
  { cadastralCode: "F257", name: "Comune di Modena", province: "MO", population: 185_000 },
  { cadastralCode: "H223", name: "Comune di Reggio nell'Emilia", province: "RE", population: 171_000 },
  { cadastralCode: "H224", name: "Comune di Reggio di Calabria", province: "RC", population: 171_000 },
  { cadastralCode: "G478", name: "Comune di Perugia", province: "PG", population: 162_000 },
  { cadastralCode: "H199", name: "Comune di Ravenna", province: "RA", population: 155_000 },
  { cadastralCode: "E625", name: "Comune di Livorno", province: "LI", population: 153_000 },
  { cadastralCode: "B354", name: "Comune di Cagliari", province: "CA", population: 148_000 },
  { cadastralCode: "A794", name: "Comune di Bergamo", province: "BG", population: 120_000 },
  { cadastralCode: "L378", name: "Comune di Trento", province: "TN", population: 118_000 },
  { cadastralCode: "G482", name: "Comune di Pescara", province: "PE", population: 118_000 },
  { cadastralCode: "A952", name: "Comune di Bolzano", province: "BZ", population: 107_000 },
  { cadastralCode: "A271", name: "Comune di Ancona", province: "AN", population: 99_000 },
  { cadastralCode: "L483", name: "Comune di Udine", province: "UD", population: 97_000 },
  { cadastralCode: "E506", name: "Comune di Lecce", province: "LE", population: 94_000 },
  { cadastralCode: "C352", name: "Comune di Catanzaro", province: "CZ", population: 85_000 },
  { cadastralCode: "A345", name: "Comune di L'Aquila", province: "AQ", population: 69_000 },
  { cadastralCode: "G942", name: "Comune di Potenza", province: "PZ", population: 64_000 },
  { cadastralCode: "B519", name: "Comune di Campobasso", province: "CB", population: 47_000 },
  { cadastralCode: "A326", name: "Comune di Aosta", province: "AO", population: 33_000 },
];

/** The IPA code of a comune: `c_` + its codice catastale in lower case. */
export function ipaCodeOf(comune: Comune): string {
  return `c_${comune.cadastralCode.toLowerCase()}`;
}
