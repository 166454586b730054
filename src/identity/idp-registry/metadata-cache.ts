/** The last good copy of each source on disk: one file per source, replaced atomically. */
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { IdpSource } from "./model.js";

/** `<federation>-<sha256(location) prefix>.xml`: stable across restarts, nothing of the URL in the name. */
export function cacheFileFor(cacheDir: string, source: IdpSource): string {
  const digest = createHash("sha256").update(source.location, "utf8").digest("hex").slice(0, 32);
  return join(cacheDir, `${source.federation}-${digest}.xml`);
}

/** The cached document, or undefined when there is none yet. */
export async function readCachedMetadata(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Write to a temporary file in the same directory, then rename over: readers never see half a file. */
export async function writeCachedMetadata(file: string, xml: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, xml, { encoding: "utf8", mode: 0o644 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
