import { z } from "zod";
import { IpaCode, Judgment, Language, type Translations } from "../../shared/domain.js";
import type { FieldError } from "../../shared/errors.js";

/** True when `Intl` knows the IANA time zone (`Europe/Rome`, `UTC`). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZone, "expected an IANA time zone such as Europe/Rome");

/** Face labels overriding Faccia's defaults, per language and judgment. */
export const FaceLabels = z.partialRecord(Language, z.partialRecord(Judgment, z.string().trim().min(1).max(40)));
export type FaceLabels = z.infer<typeof FaceLabels>;

const Languages = z
  .array(Language)
  .min(1)
  .max(Language.options.length)
  .refine((list) => new Set(list).size === list.length, "a language is listed twice");

const settings = {
  name: z.string().trim().min(1).max(200).describe("Official name, e.g. Comune di Roma"),
  timezone: TimeZone.describe("IANA time zone of the entity (default Europe/Rome)"),
  defaultLanguage: Language.describe("Language the kiosk starts in (default it); must be in `languages`"),
  languages: Languages.describe("Languages the kiosk offers (default all five)"),
  faceLabels: FaceLabels.describe("Overrides of the face labels, per language"),
  repeatIntervalSeconds: z
    .number()
    .int()
    .min(0)
    .max(3600)
    .describe("A vote this soon after the previous one at the same kiosk is flagged as a suspected repeat"),
  thankYouSeconds: z.number().int().min(1).max(60).describe("How long the kiosk shows its thank-you screen"),
  idleSeconds: z.number().int().min(5).max(3600).describe("Inactivity after which the kiosk returns to its start"),
  minCellSize: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .describe("Fewest votes a report shows in one cell, so no voter can be singled out"),
};

export const EntityCreate = z
  .object({ ipaCode: IpaCode, ...settings })
  .partial()
  .required({ ipaCode: true, name: true })
  .strict()
  .meta({ id: "EntityCreate" });
export type EntityCreate = z.infer<typeof EntityCreate>;

/** The IPA code is the entity's key in every URL and report, so it is not changed here. */
export const EntityUpdate = z.object(settings).partial().strict().meta({ id: "EntityUpdate" });
export type EntityUpdate = z.infer<typeof EntityUpdate>;

export const Entity = z
  .object({
    id: z.uuid(),
    ipaCode: z.string(),
    name: z.string(),
    timezone: z.string(),
    defaultLanguage: Language,
    languages: z.array(Language),
    faceLabels: FaceLabels,
    repeatIntervalSeconds: z.number().int(),
    thankYouSeconds: z.number().int(),
    idleSeconds: z.number().int(),
    minCellSize: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Entity" });
export type Entity = z.infer<typeof Entity>;

/** The kiosk cannot start in a language it does not offer. */
export function checkLanguages(defaultLanguage: Language, languages: readonly Language[]): FieldError[] {
  return languages.includes(defaultLanguage)
    ? []
    : [
        {
          path: "/defaultLanguage",
          message: `${defaultLanguage} is not among the languages (${languages.join(", ")})`,
        },
      ];
}

export interface ReasonSeed {
  code: string;
  label: string;
  labels: Translations;
  sortOrder: number;
}

/**
 * The reason catalogue every new entity starts with: MLF's four causes of a
 * negative judgment, editable afterwards. Labels in the languages of Italy's
 * protected minorities the kiosk ships (German, French, Slovenian) and English.
 */
export const DEFAULT_REASONS: readonly ReasonSeed[] = [
  {
    code: "tempo-attesa",
    label: "Tempo di attesa",
    labels: { en: "Waiting time", de: "Wartezeit", fr: "Temps d'attente", sl: "Čakalni čas" },
    sortOrder: 1,
  },
  {
    code: "tempo-erogazione",
    label: "Tempo di erogazione del servizio",
    labels: {
      en: "Time taken to provide the service",
      de: "Dauer der Leistungserbringung",
      fr: "Délai de prestation du service",
      sl: "Čas izvedbe storitve",
    },
    sortOrder: 2,
  },
  {
    code: "cortesia",
    label: "Cortesia e competenza del personale",
    labels: {
      en: "Staff courtesy and competence",
      de: "Freundlichkeit und Kompetenz des Personals",
      fr: "Courtoisie et compétence du personnel",
      sl: "Vljudnost in strokovnost osebja",
    },
    sortOrder: 3,
  },
  {
    code: "chiarezza",
    label: "Chiarezza delle informazioni",
    labels: {
      en: "Clarity of information",
      de: "Verständlichkeit der Informationen",
      fr: "Clarté des informations",
      sl: "Jasnost informacij",
    },
    sortOrder: 4,
  },
];
