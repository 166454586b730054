/** Column types and groups shared by the module schemas (not re-exported: no tables here). */
import { customType, timestamp } from "drizzle-orm/pg-core";

/** Raw bytes (report files, PEC messages): Postgres `bytea`, Buffer in Node (postgres.js and PGlite both map it). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

/** `created_at` and `updated_at`, both `timestamptz` set by the database. */
export const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};
