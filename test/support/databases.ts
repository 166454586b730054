import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase, runMigrations } from "../../src/db/index.js";

export type Backend = "pglite" | "postgres";

/**
 * Storage tests run on PGlite always and on real Postgres when DATABASE_URL
 * is set. With CI=true Postgres is required: a missing DATABASE_URL fails the
 * run instead of skipping those tests.
 */
export const backends: Backend[] = process.env.DATABASE_URL || process.env.CI ? ["pglite", "postgres"] : ["pglite"];

export interface TestDatabase extends DatabaseHandle {
  /** Connection URL of the fresh Postgres database (postgres backend only). */
  url?: string;
  drop(): Promise<void>;
}

export function postgresUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: CI must run the tests against a real Postgres");
  return url;
}

/** A fresh, migrated database: in-memory PGlite, or a new database on the Postgres server. */
export async function openTestDatabase(backend: Backend, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (backend === "pglite") {
    const handle = await openDatabase({ dataDir: "memory://" });
    if (options.migrate ?? true) await runMigrations(handle);
    return { ...handle, drop: () => handle.close() };
  }
  const base = postgresUrl();
  const name = `faccia_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 10 });
  if (options.migrate ?? true) await runMigrations(handle);
  return {
    ...handle,
    url: url.toString(),
    drop: async () => {
      await handle.close();
      const cleanup = postgres(base, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}
