import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { lockDataDir } from "./data-dir-lock.js";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;
/** The Drizzle handle every adapter receives: the same API on postgres.js and PGlite. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export type DatabaseKind = "postgres" | "pglite";

export interface DatabaseHandle {
  readonly db: Database;
  readonly kind: DatabaseKind;
  /** Where the data lives, for logs: the PGlite directory or the Postgres host (no password). */
  readonly location: string;
  /** Resolves when a trivial query succeeds within `timeoutMs`; rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * Calls `onMessage` for each `NOTIFY channel, payload` from any process
   * sharing the database, and `onGap` whenever notifications may have been
   * missed (the listening connection was re-established).
   */
  subscribe(channel: string, onMessage: (payload: string) => void, onGap: () => void): Promise<void>;
  /** Runs `work` while holding a cluster-wide lock (Postgres advisory lock; PGlite has one process). */
  withExclusiveLock<T>(key: number, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…`; unset → PGlite. */
  url?: string | undefined;
  /** PGlite directory; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10) : openPglite(options.dataDir ?? "./data");
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function openPostgres(url: string, poolSize: number): DatabaseHandle {
  const client = postgres(url, {
    max: poolSize,
    connect_timeout: 5,
    idle_timeout: 60,
    onnotice: () => {},
    connection: { application_name: "faccia" },
  });
  const db = drizzlePostgres(preparedByDefault(client), { schema }) as unknown as Database;
  const parsed = new URL(url);
  return {
    db,
    kind: "postgres",
    location: `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`,
    ping: async (timeoutMs = 2000) => {
      await withTimeout(client`select 1`, timeoutMs);
    },
    subscribe: async (channel, onMessage, onGap) => {
      await client.listen(channel, onMessage, onGap);
    },
    withExclusiveLock: async (key, work) => {
      const connection = await client.reserve();
      try {
        await connection`select pg_advisory_lock(${key})`;
        return await work();
      } finally {
        await connection`select pg_advisory_unlock(${key})`.catch(() => undefined);
        connection.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Drizzle 0.45 runs unnamed queries through postgres.js' `unsafe()` with
 * `prepare: false`, so every parameterised query costs two round trips (Parse and
 * Describe to learn the parameter types, then Bind and Execute). Asking for
 * prepared statements lets postgres.js cache them per connection by query
 * text and parameter types: one round trip from the second use on. Our
 * queries have a bounded set of shapes (lists are passed as arrays), so the
 * per-connection statement cache stays small.
 */
function preparedByDefault(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== "unsafe") return Reflect.get(target, property, receiver);
      return (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
        target.unsafe(query, parameters, { ...options, prepare: true });
    },
  });
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith("memory://");
  const directory = inMemory ? dataDir : resolve(join(dataDir, "pglite"));
  if (!inMemory) mkdirSync(directory, { recursive: true });
  const unlock = inMemory ? () => {} : lockDataDir(directory);
  const client = await PGlite.create(directory).catch((error: unknown) => {
    unlock();
    throw error;
  });
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  let closed = false;
  return {
    db,
    kind: "pglite",
    location: directory,
    ping: async (timeoutMs = 2000) => {
      if (closed) throw new Error("database closed");
      await withTimeout(db.execute(sql`select 1`), timeoutMs);
    },
    subscribe: async (channel, onMessage) => {
      await client.listen(channel, onMessage);
    },
    withExclusiveLock: (_key, work) => work(),
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
      unlock();
    },
  };
}
