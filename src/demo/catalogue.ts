import { DEFAULT_REASONS as ORGANIZATION_DEFAULT_REASONS } from "../organization/index.js";
import type { Translations } from "../shared/domain.js";

/** A servizio as the demo data defines it. */
export interface ServiceDefinition {
  code: string;
  name: string;
  names: Translations;
  /** Share of the office's citizens who come for this service (relative weight). */
  demand: number;
  /** Multiplies the entity's share of negative votes for this service. */
  negativeFactor: number;
  /** Open on Saturday mornings (registry services usually are). */
  saturday: boolean;
}

/** A reason for a negative vote, with the kiosk's translations. */
export interface ReasonDefinition {
  code: string;
  label: string;
  labels: Translations;
  sortOrder: number;
}

export interface DeskDefinition {
  name: string;
  serviceCodes: readonly string[];
}

export interface OfficeDefinition {
  name: string;
  /** Relative footfall compared with the main office. */
  footfall: number;
  desks: readonly DeskDefinition[];
}

export const SERVICES: readonly ServiceDefinition[] = [
  {
    code: "anagrafe",
    name: "Anagrafe",
    names: { en: "Registry office", de: "Meldeamt", fr: "Service de la population", sl: "Register prebivalstva" },
    demand: 30,
    negativeFactor: 1,
    saturday: true,
  },
  {
    code: "stato-civile",
    name: "Stato civile",
    names: { en: "Civil status", de: "Standesamt", fr: "État civil", sl: "Matični urad" },
    demand: 10,
    negativeFactor: 0.7,
    saturday: true,
  },
  {
    code: "tributi",
    name: "Tributi",
    names: { en: "Local taxes", de: "Steueramt", fr: "Impôts locaux", sl: "Lokalni davki" },
    demand: 15,
    negativeFactor: 1.35,
    saturday: false,
  },
  {
    code: "polizia-locale",
    name: "Polizia locale",
    names: { en: "Local police", de: "Ortspolizei", fr: "Police municipale", sl: "Lokalna policija" },
    demand: 6,
    negativeFactor: 1.2,
    saturday: false,
  },
  {
    code: "servizi-sociali",
    name: "Servizi sociali",
    names: { en: "Social services", de: "Sozialdienste", fr: "Services sociaux", sl: "Socialne storitve" },
    demand: 8,
    negativeFactor: 1.1,
    saturday: false,
  },
  {
    code: "edilizia-suap",
    name: "Edilizia/SUAP",
    names: {
      en: "Building and business permits",
      de: "Bauamt und Einheitsschalter für Betriebe",
      fr: "Urbanisme et guichet unique des entreprises",
      sl: "Gradbeništvo in enotna točka za podjetja",
    },
    demand: 9,
    negativeFactor: 1.3,
    saturday: false,
  },
  {
    code: "protocollo",
    name: "Protocollo",
    names: { en: "Records office", de: "Protokollamt", fr: "Bureau du courrier", sl: "Vložišče" },
    demand: 10,
    negativeFactor: 0.8,
    saturday: false,
  },
  {
    code: "urp",
    name: "URP",
    names: {
      en: "Public relations office",
      de: "Bürgerservice",
      fr: "Accueil du public",
      sl: "Urad za odnose z javnostjo",
    },
    demand: 12,
    negativeFactor: 0.8,
    saturday: true,
  },
];

/** The default reason catalogue, the same every new entity gets through the staff API. */
export const DEFAULT_REASONS: readonly ReasonDefinition[] = ORGANIZATION_DEFAULT_REASONS;

/** The definition of a service by code; throws on a code the catalogue does not have. */
export function serviceByCode(code: string): ServiceDefinition {
  const service = SERVICES.find((s) => s.code === code);
  if (!service) throw new Error(`unknown demo service ${code}`);
  return service;
}

const MAIN_OFFICE_DESKS: readonly DeskDefinition[] = [
  { name: "Sportello 1 – Servizi demografici", serviceCodes: ["anagrafe", "stato-civile"] },
  { name: "Sportello 2 – Tributi", serviceCodes: ["tributi"] },
  { name: "Sportello 3 – URP e Protocollo", serviceCodes: ["urp", "protocollo"] },
  { name: "Sportello 4 – Servizi al cittadino", serviceCodes: ["servizi-sociali", "polizia-locale", "edilizia-suap"] },
];

const BRANCH_DESKS: readonly DeskDefinition[] = [
  { name: "Sportello polifunzionale", serviceCodes: ["anagrafe", "stato-civile", "urp"] },
];

/** Offices of a seeded comune: the main office, plus branches for larger ones. */
export function officesFor(population: number): OfficeDefinition[] {
  const offices: OfficeDefinition[] = [{ name: "Sede centrale", footfall: 1, desks: MAIN_OFFICE_DESKS }];
  if (population >= 150_000) offices.push({ name: "Delegazione Nord", footfall: 0.35, desks: BRANCH_DESKS });
  if (population >= 500_000) offices.push({ name: "Delegazione Sud", footfall: 0.3, desks: BRANCH_DESKS });
  return offices;
}

/** The embedded demo comune (DESIGN.md "Fixed defaults"). */
export const DEMO_ENTITY = { ipaCode: "c_demo", name: "Comune di Demo", timezone: "Europe/Rome" } as const;
export const DEMO_OFFICE: OfficeDefinition = {
  name: "Sede municipale",
  footfall: 1,
  desks: [
    { name: "Sportello 1 – Servizi demografici", serviceCodes: ["anagrafe", "stato-civile"] },
    { name: "Sportello 2 – Tributi", serviceCodes: ["tributi"] },
    { name: "Sportello 3 – URP e Protocollo", serviceCodes: ["urp", "protocollo"] },
  ],
};
/** The demo kiosk, paired at every start if needed, and the one the banner offers to pair. */
export const DEMO_KIOSK_NAME = "Totem ingresso";
export const DEMO_SECOND_KIOSK_NAME = "Secondo totem";
