import { type Config, loadConfig } from "../config/index.js";
import { type DatabaseHandle, migrationStatus } from "../db/index.js";
import { createServices, openConfiguredDatabase } from "../main.js";
import { systemClock } from "../shared/clock.js";
import { CliFailure, type CliIo, EXIT } from "./io.js";

export type Services = ReturnType<typeof createServices>;

export interface CommandContext {
  config: Config;
  database: DatabaseHandle;
  services: Services;
}

/** Runs `work` with the configured database open, and closes it afterwards whatever happens. */
export async function withDatabase<T>(
  io: CliIo,
  work: (config: Config, database: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const config = loadConfig(io.env);
  if (io.database) return work(config, io.database);
  const database = await openConfiguredDatabase(config);
  try {
    return await work(config, database);
  } finally {
    await database.close();
  }
}

/**
 * Runs `work` with the use cases over the configured database. The schema
 * must be current: commands other than `migrate` and `start` never change it.
 */
export function withServices<T>(io: CliIo, work: (context: CommandContext) => Promise<T>): Promise<T> {
  return withDatabase(io, async (config, database) => {
    const status = await migrationStatus(database);
    if (status.pending > 0) {
      throw new CliFailure(
        `the database (${database.kind} at ${database.location}) has ${status.pending} pending migration(s): run 'faccia migrate' first`,
        { exitCode: EXIT.failure, code: "DATABASE_NOT_MIGRATED" },
      );
    }
    return work({ config, database, services: createServices(database, systemClock) });
  });
}
