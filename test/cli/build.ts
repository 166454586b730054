import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const BIN = join(ROOT, "dist", "src", "cli", "main.js");

/**
 * Builds dist/ (server and kiosk app) for the tests that spawn the real
 * `faccia` bin (the `npm start` path). Type errors elsewhere in a work-in-progress tree do not
 * stop tsc from emitting, so only a missing bin fails the build.
 */
export function buildOnce(): void {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  if (!existsSync(BIN)) throw new Error(`build failed, no ${BIN}:\n${result.stdout}${result.stderr}`);
  // The kiosk web app the bin serves at /kiosk (part of `npm run build`).
  const kiosk = spawnSync(process.execPath, [join(ROOT, "scripts", "build-kiosk.mjs")], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (kiosk.status !== 0) throw new Error(`kiosk app build failed:\n${kiosk.stdout}${kiosk.stderr}`);
}
