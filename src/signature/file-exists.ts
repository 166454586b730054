import { access } from "node:fs/promises";

/** Whether `path` exists and can be reached (a missing key or certificate file is a normal case here). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
