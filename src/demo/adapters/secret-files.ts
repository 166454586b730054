import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { SecretStore } from "../ports.js";

/** Where the demo keeps its kiosk and admin tokens: `FACCIA_DATA_DIR/demo`. */
export function demoSecretsDirectory(dataDir: string): string {
  return resolve(join(dataDir, "demo"));
}

/**
 * Secrets as files in one directory (mode 0700), one value per file (mode
 * 0600), written atomically so a crash never leaves half a token.
 */
export function createSecretFiles(directory: string): SecretStore {
  const locationOf = (name: string) => join(directory, name);
  return {
    locationOf,
    async read(name) {
      try {
        const value = (await readFile(locationOf(name), "utf8")).trim();
        return value === "" ? null : value;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async write(name, value) {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      const target = locationOf(name);
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(temporary, `${value}\n`, { mode: 0o600 });
      await chmod(temporary, 0o600);
      await rename(temporary, target);
    },
  };
}
