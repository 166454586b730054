import { z } from "zod";
import { Channel } from "../../shared/domain.js";
import type { FieldError } from "../../shared/errors.js";

/**
 * Users served (*utenti serviti*) per service, channel and period: the
 * denominator of MLF's participation rate (votes ÷ served). Pure rules shared
 * by the JSON upsert and the CSV import.
 */

/** The `integer` column's upper bound. */
export const MAX_SERVED_COUNT = 2_147_483_647;
/** Items per JSON upsert; larger loads go through the CSV import. */
export const MAX_SERVED_COUNT_ITEMS = 5000;

/** `YYYY-MM-DD` as ISO 8601 writes it, or null unless it names a real calendar day. */
export function isoCalendarDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || year > 9999 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * A calendar day written `YYYY-MM-DD`, or `DD/MM/YYYY` as Italian-locale
 * spreadsheets reformat dates on save; null when it is neither or not a real day.
 */
export function parseCalendarDate(text: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return isoCalendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const italian = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (italian) return isoCalendarDate(Number(italian[3]), Number(italian[2]), Number(italian[1]));
  return null;
}

export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine((value) => parseCalendarDate(value) === value, "not a real calendar date");

export const ServedCountInput = z
  .object({
    serviceId: z.uuid(),
    channel: Channel.default("desk"),
    periodStart: CalendarDate,
    periodEnd: CalendarDate.describe("Last day of the period, inclusive"),
    count: z.number().int().min(0).max(MAX_SERVED_COUNT),
  })
  .strict()
  .refine((item) => item.periodEnd >= item.periodStart, {
    path: ["periodEnd"],
    message: "periodEnd must not be before periodStart",
  });
export type ServedCountInput = z.infer<typeof ServedCountInput>;

export const ServedCountBatch = z
  .object({ items: z.array(ServedCountInput).min(1).max(MAX_SERVED_COUNT_ITEMS) })
  .strict()
  .meta({ id: "ServedCountBatch" });

export const ServedCount = z
  .object({
    id: z.uuid(),
    serviceId: z.uuid(),
    serviceCode: z.string(),
    channel: Channel,
    periodStart: z.string(),
    periodEnd: z.string(),
    count: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: "ServedCount" });
export type ServedCount = z.infer<typeof ServedCount>;

/** A served count ready to store: its service resolved to an id of the entity. */
export interface ServedCountDraft {
  serviceId: string;
  channel: Channel;
  periodStart: string;
  periodEnd: string;
  count: number;
}

/** A service of the entity, as served-count references may name it. */
export interface ServiceRef {
  id: string;
  code: string;
}

export interface ServedCountCheck {
  drafts: ServedCountDraft[];
  errors: FieldError[];
}

/**
 * Resolves service references (an id, or a code unique in the entity) and
 * refuses a second entry for the same service, channel and period: the upsert
 * could not tell which of the two counts is meant.
 */
export function createServedCountChecker(services: readonly ServiceRef[]) {
  const byId = new Map(services.map((service) => [service.id.toLowerCase(), service.id]));
  const byCode = new Map<string, string[]>();
  for (const service of services) byCode.set(service.code, [...(byCode.get(service.code) ?? []), service.id]);
  const seen = new Map<string, string>();

  return {
    /** The service id `reference` names (an id, or also a code when `codes`), or why it names none. */
    resolve(reference: string, codes = true): { id: string } | { error: string } {
      const key = reference.trim().toLowerCase();
      const id = byId.get(key);
      if (id) return { id };
      if (!codes) return { error: `no service ${reference} in this entity` };
      const matches = byCode.get(key) ?? [];
      if (matches.length === 1 && matches[0]) return { id: matches[0] };
      if (matches.length > 1) return { error: `service code "${reference}" is used at several desks: give the id` };
      return { error: `no service "${reference}" in this entity` };
    },

    /** Where an entry with the same key was first seen, or null (and remembers this one at `where`). */
    duplicateOf(draft: ServedCountDraft, where: string): string | null {
      const key = [draft.serviceId, draft.channel, draft.periodStart, draft.periodEnd].join("|");
      const first = seen.get(key);
      if (first !== undefined) return first;
      seen.set(key, where);
      return null;
    },
  };
}

/** Checks the items of a JSON upsert against the entity's services. */
export function checkServedCountItems(
  items: readonly ServedCountInput[],
  services: readonly ServiceRef[],
): ServedCountCheck {
  const checker = createServedCountChecker(services);
  const result: ServedCountCheck = { drafts: [], errors: [] };
  items.forEach((item, index) => {
    const path = `/items/${index}/serviceId`;
    const service = checker.resolve(item.serviceId, false);
    if ("error" in service) {
      result.errors.push({ path, message: service.error });
      return;
    }
    const draft = { ...item, serviceId: service.id };
    const first = checker.duplicateOf(draft, `item ${index}`);
    if (first) result.errors.push({ path, message: `same service, channel and period as ${first}` });
    else result.drafts.push(draft);
  });
  return result;
}
