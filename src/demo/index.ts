export { createDemoStore } from "./adapters/demo-store.js";
export { createSecretFiles, demoSecretsDirectory } from "./adapters/secret-files.js";
export { dateKey, type LocalDate, parseDateKey } from "./calendar.js";
export {
  DEFAULT_REASONS,
  DEMO_ENTITY,
  DEMO_KIOSK_NAME,
  DEMO_OFFICE,
  DEMO_SECOND_KIOSK_NAME,
  SERVICES,
} from "./catalogue.js";
export { COMUNI, type Comune, ipaCodeOf } from "./comuni.js";
export {
  DEMO_ADMIN_TOKEN_FILE,
  DEMO_KIOSK_TOKEN_FILE,
  DEMO_VOTES,
  type DemoState,
  type EnsureDemoDeps,
  ensureDemo,
} from "./ensure-demo.js";
export type { DemoStore, SecretStore } from "./ports.js";
export { MAX_SEED_ENTITIES, type SeedDeps, type SeedOptions, type SeedReport, seedDemoData } from "./seed-demo.js";
