import { join } from "node:path";

/**
 * Where the tests' copy of the kiosk web app is built (by the vitest global
 * setup, from the current sources, so a stale `dist/` never hides a change).
 */
export const KIOSK_TEST_ASSETS = join("node_modules", ".cache", "faccia-kiosk-test");
