import type { DatabaseHandle } from "../db/index.js";
import { createDemoStore, createSecretFiles, demoSecretsDirectory, type EnsureDemoDeps } from "../demo/index.js";
import type { Clock } from "../shared/clock.js";
import type { Services } from "./context.js";

export { demoSecretsDirectory };

/** Any constant works: it only has to be the same for every Faccia process. */
const DEMO_LOCK_KEY = 4_242_002;

/** The embedded demo's dependencies, built over an open database and its use cases. */
export function demoDependencies(
  database: DatabaseHandle,
  services: Services,
  dataDir: string,
  clock: Clock,
): EnsureDemoDeps {
  return {
    store: createDemoStore(database),
    secrets: createSecretFiles(demoSecretsDirectory(dataDir)),
    kiosks: services.kiosks,
    pairKiosk: services.pairKiosk,
    accessTokens: services.accessTokens,
    withLock: (work) => database.withExclusiveLock(DEMO_LOCK_KEY, work),
    clock,
  };
}
