import { resolve } from "node:path";
import { buildKioskApp } from "../scripts/build-kiosk.mjs";
import { KIOSK_TEST_ASSETS } from "./support/kiosk-assets.js";

/** Builds the kiosk web app once per test run, from the sources the tests see. */
export default async function setup(): Promise<void> {
  await buildKioskApp({ outDir: resolve(KIOSK_TEST_ASSETS) });
}
