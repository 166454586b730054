import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { entities, entityReference } from "./organization.js";

/**
 * Personal access tokens for the staff API (until SPID/CIE sessions land).
 * `entityId` null means every entity (platform operator). Stored hashed.
 */
export const accessTokens = pgTable(
  "access_token",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    entityId: uuid("entity_id").references(() => entities.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [
    unique("access_token_token_hash_key").on(t.tokenHash),
    index("access_token_entity_idx").on(t.entityId),
    check("access_token_role_check", sql`${t.role} in ('admin','secretary','operator','viewer')`),
  ],
);

/**
 * The entity's staff by fiscal code (codice fiscale), the identity SPID and CIE assert and the one
 * a qualified signature certificate carries (ETSI EN 319 412-1 §5.1.3, `TINIT-…`). A signature
 * uploaded for a report is accepted only from a secretary listed here (issue 5).
 */
export const staffUsers = pgTable(
  "staff_user",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    fiscalCode: text("fiscal_code").notNull(),
    name: text("name").notNull(),
    role: text("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("staff_user_entity_fiscal_code_key").on(t.entityId, t.fiscalCode),
    check("staff_user_role_check", sql`${t.role} in ('admin','secretary','operator','viewer')`),
  ],
);
