export {
  type Database,
  type DatabaseHandle,
  type DatabaseKind,
  type DatabaseOptions,
  openDatabase,
  type Transaction,
} from "./client.js";
export { DataDirInUseError } from "./data-dir-lock.js";
export { databaseErrorCode, isDatabaseUnavailable } from "./errors.js";
export { type MigrationStatus, migrationStatus, migrationsFolder, rowsOf, runMigrations } from "./migrations.js";
export * as tables from "./schema/index.js";
