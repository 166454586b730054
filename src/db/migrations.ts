import { join } from "node:path";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { installRoot } from "../shared/install.js";
import type { DatabaseHandle } from "./client.js";

const MIGRATIONS_SCHEMA = "drizzle";
const MIGRATIONS_TABLE = "__drizzle_migrations";
/** Any constant works: it only has to be the same for every Faccia process. */
const MIGRATION_LOCK_KEY = 4_242_001;

/** The committed `drizzle/` folder of this installation. */
export function migrationsFolder(): string {
  return join(installRoot(), "drizzle");
}

export interface MigrationStatus {
  applied: number;
  total: number;
  pending: number;
}

/** How many committed migrations the database has not applied yet. */
export async function migrationStatus(handle: DatabaseHandle): Promise<MigrationStatus> {
  const files = readMigrationFiles({ migrationsFolder: migrationsFolder() });
  const exists = await handle.db.execute<{ present: boolean }>(
    sql`select to_regclass(${`${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE}`}) is not null as present`,
  );
  if (!rowsOf<{ present: boolean }>(exists)[0]?.present)
    return { applied: 0, total: files.length, pending: files.length };
  const result = await handle.db.execute<{ created_at: string | number }>(
    sql`select created_at from ${sql.identifier(MIGRATIONS_SCHEMA)}.${sql.identifier(MIGRATIONS_TABLE)}`,
  );
  const appliedMillis = new Set(rowsOf<{ created_at: string | number }>(result).map((row) => Number(row.created_at)));
  const pending = files.filter((file) => !appliedMillis.has(file.folderMillis)).length;
  return { applied: files.length - pending, total: files.length, pending };
}

/**
 * Applies pending migrations. On Postgres an advisory lock makes replicas
 * starting together wait for each other instead of racing.
 */
export async function runMigrations(handle: DatabaseHandle): Promise<MigrationStatus> {
  const config = {
    migrationsFolder: migrationsFolder(),
    migrationsSchema: MIGRATIONS_SCHEMA,
    migrationsTable: MIGRATIONS_TABLE,
  };
  await handle.withExclusiveLock(MIGRATION_LOCK_KEY, async () => {
    const { migrate } =
      handle.kind === "pglite"
        ? await import("drizzle-orm/pglite/migrator")
        : await import("drizzle-orm/postgres-js/migrator");
    // biome-ignore lint/suspicious/noExplicitAny: each migrator wants its driver's type; the handle is that driver.
    await migrate(handle.db as any, config);
  });
  return migrationStatus(handle);
}
/** postgres.js returns an array; PGlite returns `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
