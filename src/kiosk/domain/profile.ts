import { z } from "zod";
import { Judgment, Language, Translations } from "../../shared/domain.js";

/** Face labels shipped with Faccia; an entity may override any of them. */
export const DEFAULT_FACE_LABELS: Record<Language, Record<Judgment, string>> = {
  it: { positive: "Positivo", sufficient: "Sufficiente", negative: "Negativo" },
  en: { positive: "Positive", sufficient: "Sufficient", negative: "Negative" },
  de: { positive: "Positiv", sufficient: "Ausreichend", negative: "Negativ" },
  fr: { positive: "Positif", sufficient: "Suffisant", negative: "Négatif" },
  sl: { positive: "Pozitivno", sufficient: "Zadostno", negative: "Negativno" },
};

/** How often a kiosk reports it is alive. */
export const HEARTBEAT_SECONDS = 60;

export const FaceLabels = z.record(Language, z.record(Judgment, z.string()));

/** Everything a paired kiosk needs to run: returned by `pair` and `config`. */
export const KioskProfile = z
  .object({
    id: z.uuid(),
    name: z.string(),
    entity: z.object({
      ipaCode: z.string(),
      name: z.string(),
      timezone: z.string(),
      defaultLanguage: Language,
      languages: z.array(Language),
    }),
    office: z.object({ id: z.uuid(), name: z.string() }),
    desk: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    services: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string(), names: Translations })),
    reasons: z.array(z.object({ code: z.string(), label: z.string(), labels: Translations })),
    labels: FaceLabels,
    settings: z.object({
      thankYouSeconds: z.number().int(),
      idleSeconds: z.number().int(),
      repeatIntervalSeconds: z.number().int(),
      heartbeatSeconds: z.number().int(),
    }),
  })
  .meta({ id: "KioskProfile" });
export type KioskProfile = z.infer<typeof KioskProfile>;

/** Defaults overlaid with the entity's own labels, for every language the entity offers. */
export function resolveFaceLabels(
  languages: readonly Language[],
  overrides: Partial<Record<string, Partial<Record<Judgment, string>>>>,
): Record<Language, Record<Judgment, string>> {
  const result = {} as Record<Language, Record<Judgment, string>>;
  for (const language of languages) {
    result[language] = { ...DEFAULT_FACE_LABELS[language], ...(overrides[language] ?? {}) };
  }
  return result;
}
