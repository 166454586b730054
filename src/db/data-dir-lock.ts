import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export class DataDirInUseError extends Error {
  constructor(directory: string, pid: number) {
    super(
      `another Faccia process (pid ${pid}) is using ${directory}: stop it first. ` +
        "PGlite is single-process; run several gateways on PostgreSQL (DATABASE_URL) instead. " +
        `If no such process exists, delete ${join(directory, LOCK_FILE)}.`,
    );
    this.name = "DataDirInUseError";
  }
}

const LOCK_FILE = "faccia.lock";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lockHolder(file: string): number {
  try {
    return Number.parseInt(readFileSync(file, "utf8"), 10) || 0;
  } catch {
    return 0;
  }
}

/**
 * Claims a PGlite directory for this process: two processes (or two handles
 * in one process) writing the same PGlite files would corrupt them. A lock
 * left by a process that died is taken over. Returns the release function.
 */
export function lockDataDir(directory: string): () => void {
  const file = join(directory, LOCK_FILE);
  try {
    writeFileSync(file, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = lockHolder(file);
    if (holder === process.pid || (holder > 0 && isAlive(holder))) throw new DataDirInUseError(directory, holder);
    writeFileSync(file, String(process.pid)); // stale: its process is gone
  }
  return () => {
    if (lockHolder(file) === process.pid) unlinkSync(file);
  };
}
