import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "./columns.js";

/** Translations keyed by language code, e.g. `{ "en": "Registry office" }`. */
export type Translations = Record<string, string>;

/** Face labels per language: `{ it: { positive: "Positivo", ... } }`. */
export type FaceLabels = Record<string, Partial<Record<"positive" | "sufficient" | "negative", string>>>;

/** A comune or unione di comuni, keyed by its IPA code (e.g. `c_i662`). */
export const entities = pgTable(
  "entity",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ipaCode: text("ipa_code").notNull(),
    name: text("name").notNull(),
    timezone: text("timezone").notNull().default("Europe/Rome"),
    defaultLanguage: text("default_language").notNull().default("it"),
    languages: text("languages").array().notNull().default(sql`ARRAY['it','en','de','fr','sl']::text[]`),
    faceLabels: jsonb("face_labels").$type<FaceLabels>().notNull().default({}),
    repeatIntervalSeconds: integer("repeat_interval_seconds").notNull().default(3),
    thankYouSeconds: integer("thank_you_seconds").notNull().default(3),
    idleSeconds: integer("idle_seconds").notNull().default(20),
    minCellSize: integer("min_cell_size").notNull().default(5),
    /** When the monthly draft report is made, in the entity's timezone: day of month and hour (issue 4). */
    reportDayOfMonth: integer("report_day_of_month").notNull().default(1),
    reportHour: integer("report_hour").notNull().default(3),
    ...timestamps,
  },
  (t) => [
    unique("entity_ipa_code_key").on(t.ipaCode),
    check("entity_repeat_interval_check", sql`${t.repeatIntervalSeconds} >= 0`),
    check("entity_report_day_check", sql`${t.reportDayOfMonth} between 1 and 28`),
    check("entity_report_hour_check", sql`${t.reportHour} between 0 and 23`),
  ],
);

/** The owning entity: every row below an entity names it, so queries filter without joins. */
export const entityReference = () =>
  uuid("entity_id")
    .notNull()
    .references(() => entities.id, { onDelete: "restrict" });

/** A sede: a building or site where citizens are served. */
export const offices = pgTable(
  "office",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    name: text("name").notNull(),
    address: text("address"),
    ...timestamps,
  },
  (t) => [unique("office_entity_name_key").on(t.entityId, t.name)],
);

/** A sportello inside an office. */
export const desks = pgTable(
  "desk",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    officeId: uuid("office_id")
      .notNull()
      .references(() => offices.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    ...timestamps,
  },
  (t) => [unique("desk_office_name_key").on(t.officeId, t.name), index("desk_entity_idx").on(t.entityId)],
);

/** A servizio offered at a desk (Anagrafe, Tributi, ...). */
export const services = pgTable(
  "service",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    deskId: uuid("desk_id")
      .notNull()
      .references(() => desks.id, { onDelete: "restrict" }),
    code: text("code").notNull(),
    name: text("name").notNull(),
    names: jsonb("names").$type<Translations>().notNull().default({}),
    active: boolean("active").notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
    ...timestamps,
  },
  (t) => [unique("service_desk_code_key").on(t.deskId, t.code), index("service_entity_idx").on(t.entityId)],
);

/** The entity's catalogue of reasons for a negative vote. */
export const reasons = pgTable(
  "reason",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    code: text("code").notNull(),
    label: text("label").notNull(),
    labels: jsonb("labels").$type<Translations>().notNull().default({}),
    active: boolean("active").notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
    ...timestamps,
  },
  (t) => [unique("reason_entity_code_key").on(t.entityId, t.code)],
);

/**
 * Citizens served per service, channel and date range (inclusive): the
 * denominator of MLF's participation rate.
 */
export const servedCounts = pgTable(
  "served_count",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "restrict" }),
    channel: text("channel").notNull().default("desk"),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    count: integer("count").notNull(),
    ...timestamps,
  },
  (t) => [
    unique("served_count_service_channel_period_key").on(t.serviceId, t.channel, t.periodStart, t.periodEnd),
    index("served_count_entity_period_idx").on(t.entityId, t.periodStart),
    check("served_count_count_check", sql`${t.count} >= 0`),
    check("served_count_period_check", sql`${t.periodEnd} >= ${t.periodStart}`),
    check("served_count_channel_check", sql`${t.channel} in ('desk','web','phone')`),
  ],
);
