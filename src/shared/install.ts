import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cachedRoot: string | undefined;

/**
 * The directory Faccia is installed in (where its package.json is), found
 * the same way from `src/` (tests, tsx) and from `dist/src/` (built).
 */
export function installRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "faccia") {
      cachedRoot = dir;
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error("cannot find Faccia's package.json above the running code");
}

/** The version in package.json, printed in logs, `/openapi.json` and reports. */
export function softwareVersion(): string {
  return (JSON.parse(readFileSync(join(installRoot(), "package.json"), "utf8")) as { version: string }).version;
}
