import { z } from "zod";
import { Judgment, Language, Translations } from "../../shared/domain.js";
import type { VoteRules } from "./vote.js";

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

/** What an entity offers, loaded once and shared by all its kiosks. */
export interface EntityCatalogue {
  entity: {
    id: string;
    ipaCode: string;
    name: string;
    timezone: string;
    defaultLanguage: Language;
    languages: Language[];
    faceLabels: Partial<Record<string, Partial<Record<Judgment, string>>>>;
    thankYouSeconds: number;
    idleSeconds: number;
    repeatIntervalSeconds: number;
  };
  offices: ReadonlyMap<string, string>;
  desks: ReadonlyMap<string, string>;
  /** Every service, active or not, in display order. */
  services: ReadonlyArray<{
    id: string;
    code: string;
    name: string;
    names: Translations;
    active: boolean;
    officeId: string;
    deskId: string;
  }>;
  /** Active reasons in display order. */
  reasons: ReadonlyArray<{ id: string; code: string; label: string; labels: Translations }>;
  /** Explicit service lists of the kiosks that have one. */
  kioskServices: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The kiosk facts a profile needs beyond the catalogue. */
export interface KioskPlacement {
  id: string;
  name: string;
  officeId: string;
  deskId: string | null;
}

/** Active services a kiosk offers: its explicit list, or every active service of its office (or desk). */
export function offeredServices(kiosk: KioskPlacement, catalogue: EntityCatalogue) {
  const chosen = catalogue.kioskServices.get(kiosk.id);
  return catalogue.services.filter(
    (s) =>
      s.active &&
      (chosen
        ? chosen.has(s.id)
        : s.officeId === kiosk.officeId && (kiosk.deskId === null || s.deskId === kiosk.deskId)),
  );
}

export function buildKioskProfile(kiosk: KioskPlacement, catalogue: EntityCatalogue): KioskProfile {
  const { entity } = catalogue;
  return {
    id: kiosk.id,
    name: kiosk.name,
    entity: {
      ipaCode: entity.ipaCode,
      name: entity.name,
      timezone: entity.timezone,
      defaultLanguage: entity.defaultLanguage,
      languages: entity.languages,
    },
    office: { id: kiosk.officeId, name: catalogue.offices.get(kiosk.officeId) ?? "" },
    desk: kiosk.deskId ? { id: kiosk.deskId, name: catalogue.desks.get(kiosk.deskId) ?? "" } : null,
    services: offeredServices(kiosk, catalogue).map(({ id, code, name, names }) => ({ id, code, name, names })),
    reasons: catalogue.reasons.map(({ code, label, labels }) => ({ code, label, labels })),
    labels: resolveFaceLabels(entity.languages, entity.faceLabels),
    settings: {
      thankYouSeconds: entity.thankYouSeconds,
      idleSeconds: entity.idleSeconds,
      repeatIntervalSeconds: entity.repeatIntervalSeconds,
      heartbeatSeconds: HEARTBEAT_SECONDS,
    },
  };
}

export function voteRulesFor(kiosk: KioskPlacement, catalogue: EntityCatalogue): VoteRules {
  return {
    entityServiceIds: new Set(catalogue.services.map((s) => s.id)),
    offeredServiceIds: new Set(offeredServices(kiosk, catalogue).map((s) => s.id)),
    reasonCodes: new Set(catalogue.reasons.map((r) => r.code)),
  };
}
