import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { desks, entityReference, offices, reasons, services } from "./organization.js";

/** A browser kiosk (totem, tablet) at an office. Its bearer token is stored only as a hash. */
export const kiosks = pgTable(
  "kiosk",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    officeId: uuid("office_id")
      .notNull()
      .references(() => offices.id, { onDelete: "restrict" }),
    deskId: uuid("desk_id").references(() => desks.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    status: text("status").notNull().default("pending"),
    tokenHash: text("token_hash"),
    pairedAt: timestamp("paired_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
    appVersion: text("app_version"),
    queueDepth: integer("queue_depth"),
    lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("kiosk_entity_name_key").on(t.entityId, t.name),
    unique("kiosk_token_hash_key").on(t.tokenHash),
    check("kiosk_status_check", sql`${t.status} in ('pending','active','revoked')`),
  ],
);

/** Services a kiosk offers. No rows: every active service of its office (or desk). */
export const kioskServices = pgTable(
  "kiosk_service",
  {
    kioskId: uuid("kiosk_id")
      .notNull()
      .references(() => kiosks.id, { onDelete: "cascade" }),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ name: "kiosk_service_pkey", columns: [t.kioskId, t.serviceId] })],
);

/** Single-use pairing codes (stored hashed), valid for 15 minutes. */
export const pairingCodes = pgTable(
  "pairing_code",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kioskId: uuid("kiosk_id")
      .notNull()
      .references(() => kiosks.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("pairing_code_code_hash_key").on(t.codeHash), index("pairing_code_kiosk_idx").on(t.kioskId)],
);

/** One row per kiosk and day with at least one heartbeat: kiosk availability in reports. */
export const kioskHeartbeatDays = pgTable(
  "kiosk_heartbeat_day",
  {
    kioskId: uuid("kiosk_id")
      .notNull()
      .references(() => kiosks.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    beats: integer("beats").notNull().default(1),
    firstAt: timestamp("first_at", { withTimezone: true }).notNull(),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: "kiosk_heartbeat_day_pkey", columns: [t.kioskId, t.day] })],
);

/**
 * A citizen's vote. The primary key is the UUID the kiosk made, so a vote
 * resent after a network failure is recognised, never stored twice.
 * No personal data, ever.
 */
export const votes = pgTable(
  "vote",
  {
    id: uuid("id").primaryKey(),
    entityId: entityReference(),
    kioskId: uuid("kiosk_id").references(() => kiosks.id, { onDelete: "restrict" }),
    officeId: uuid("office_id")
      .notNull()
      .references(() => offices.id, { onDelete: "restrict" }),
    deskId: uuid("desk_id").references(() => desks.id, { onDelete: "restrict" }),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "restrict" }),
    channel: text("channel").notNull().default("desk"),
    judgment: text("judgment").notNull(),
    reasonId: uuid("reason_id").references(() => reasons.id, { onDelete: "restrict" }),
    /** The kiosk's clock when the vote was cast, as sent. */
    castAt: timestamp("cast_at", { withTimezone: true, precision: 3 }).notNull(),
    /** `castAt` corrected for the kiosk's clock skew, when the skew exceeded a minute. */
    castAtCorrected: timestamp("cast_at_corrected", { withTimezone: true, precision: 3 }),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    suspectedRepeat: boolean("suspected_repeat").notNull().default(false),
    late: boolean("late").notNull().default(false),
  },
  (t) => [
    index("vote_entity_cast_at_idx").on(t.entityId, t.castAt),
    index("vote_kiosk_cast_at_idx").on(t.kioskId, t.castAt),
    // Reports count a vote in the period of its skew-corrected cast time (src/reports/adapters/report-queries.ts).
    index("vote_entity_effective_cast_idx").on(t.entityId, sql`coalesce(${t.castAtCorrected}, ${t.castAt})`),
    // National aggregates read one period of every entity (src/reports/adapters/national-queries.ts): a range
    // on this index reads that period's votes only, where a scan of the table grows with its whole history.
    index("vote_effective_cast_idx").on(sql`coalesce(${t.castAtCorrected}, ${t.castAt})`),
    check("vote_judgment_check", sql`${t.judgment} in ('positive','sufficient','negative')`),
    check("vote_channel_check", sql`${t.channel} in ('desk','web','phone')`),
    check("vote_reason_negative_check", sql`${t.reasonId} is null or ${t.judgment} = 'negative'`),
  ],
);

/**
 * Daily vote counts, kept exact by triggers on `vote` (drizzle/0002_vote_day.sql): every insert,
 * update or delete of votes adds or subtracts its rows here in the same statement, and a change of
 * the entity's time zone recounts its days. Reports read a month as ~30 days of these rows instead
 * of every vote in it (issue 4's benchmark; the rollup is compared with the raw votes in tests).
 * `day` is the local day of the skew-corrected cast time in the entity's time zone, so a report
 * period (whole local days) is a range of days. The kiosk is part of the key so that two kiosks
 * never wait on the same row while their votes are written.
 */
export const voteDays = pgTable(
  "vote_day",
  {
    entityId: entityReference(),
    day: date("day", { mode: "string" }).notNull(),
    kioskId: uuid("kiosk_id"),
    officeId: uuid("office_id").notNull(),
    deskId: uuid("desk_id"),
    serviceId: uuid("service_id").notNull(),
    channel: text("channel").notNull(),
    judgment: text("judgment").notNull(),
    reasonId: uuid("reason_id"),
    suspectedRepeat: boolean("suspected_repeat").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [
    unique("vote_day_key")
      .on(
        t.entityId,
        t.day,
        t.kioskId,
        t.officeId,
        t.deskId,
        t.serviceId,
        t.channel,
        t.judgment,
        t.reasonId,
        t.suspectedRepeat,
      )
      .nullsNotDistinct(),
    check("vote_day_count_check", sql`${t.count} >= 0`),
  ],
);

/** Votes the gateway refused, kept (without content) for the report's data-quality section. */
export const voteRejections = pgTable(
  "vote_rejection",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    kioskId: uuid("kiosk_id").references(() => kiosks.id, { onDelete: "set null" }),
    voteId: text("vote_id"),
    code: text("code").notNull(),
    rejectedAt: timestamp("rejected_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("vote_rejection_entity_rejected_at_idx").on(t.entityId, t.rejectedAt)],
);
