import type { Command } from "commander";
import { migrationStatus, runMigrations } from "../../db/index.js";
import { withDatabase } from "../context.js";
import { type CliIo, EXIT, type ExitCode, printJson, printLine, type RunState } from "../io.js";
import { examples } from "../options.js";

export interface MigrateOptions {
  status?: boolean;
  json?: boolean;
}

/** `faccia migrate`: applies pending migrations, or with `--status` only reports (exit 1 when some are pending). */
export function migrateCommand(io: CliIo, options: MigrateOptions): Promise<ExitCode> {
  return withDatabase(io, async (_config, database) => {
    const where = `${database.kind} at ${database.location}`;
    const before = await migrationStatus(database);
    if (options.status) {
      if (options.json) printJson(io, { ...before, upToDate: before.pending === 0, database: database.kind });
      else
        printLine(
          io.stdout,
          before.pending === 0
            ? `Up to date: ${before.applied}/${before.total} migrations applied (${where}).`
            : `${before.pending} migration(s) pending: ${before.applied}/${before.total} applied (${where}). Run 'faccia migrate'.`,
        );
      return before.pending === 0 ? EXIT.ok : EXIT.negative;
    }
    const after = await runMigrations(database);
    const appliedNow = after.applied - before.applied;
    if (options.json) printJson(io, { appliedNow, applied: after.applied, total: after.total, pending: after.pending });
    else
      printLine(
        io.stdout,
        appliedNow === 0
          ? `Already up to date: ${after.applied}/${after.total} migrations applied (${where}).`
          : `Applied ${appliedNow} migration(s): ${after.applied}/${after.total} applied (${where}).`,
      );
    return EXIT.ok;
  });
}

export function registerMigrate(program: Command, io: CliIo, state: RunState): void {
  program
    .command("migrate")
    .description("apply the pending database migrations (the gateway also applies them at start)")
    .option("--status", "only report; exit 1 when migrations are pending")
    .option("--json", "print one JSON document")
    .addHelpText(
      "after",
      examples(
        "faccia migrate",
        "faccia migrate --status --json",
        "DATABASE_URL=postgres://faccia@db/faccia faccia migrate",
      ),
    )
    .action(async (options: MigrateOptions) => {
      state.exitCode = await migrateCommand(io, options);
    });
}
