import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, copyFile, type FileHandle, link, open, readFile, rename, rm } from "node:fs/promises";
import { isAppError } from "../shared/errors.js";
import { parsePemBundle } from "../signature/index.js";
import { CliFailure } from "./io.js";

/**
 * Files the CLI reads and writes for the user (`sign`, `verify --extract`): failures become
 * `CliFailure`s (exit 2) that name the file and the reason, never a stack trace.
 */

export async function readFileOrFail(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw fileFailure(`cannot read the ${what} ${path}`, error, "FILE_UNREADABLE");
  }
}

export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Hard links are refused by some file systems (vfat on a USB stick, some network mounts). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "EMLINK"]);

/**
 * Writes `chunks` (their concatenation is the file) to a temporary sibling with writev, then
 * renames it over `path` (force) or links it into place, which fails if `path` appeared
 * meanwhile: the user never gets a half-written file, and without force never loses one.
 * Returns the number of bytes written.
 */
export async function writeFileAtomically(
  path: string,
  chunks: readonly Uint8Array[],
  force: boolean,
): Promise<number> {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.partial`;
  try {
    const handle = await open(temporary, "wx", 0o644);
    let bytes: number;
    try {
      bytes = await writeAll(handle, chunks);
    } finally {
      await handle.close();
    }
    if (force) await rename(temporary, path);
    else
      await link(temporary, path).catch((error: NodeJS.ErrnoException) => {
        if (!NO_HARD_LINKS.has(error.code ?? "")) throw error;
        return copyFile(temporary, path, constants.COPYFILE_EXCL);
      });
    return bytes;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new CliFailure(`${path} already exists: pass --force to replace it`);
    }
    throw fileFailure(`cannot write ${path}`, error, "FILE_UNWRITABLE");
  } finally {
    await rm(temporary, { force: true });
  }
}

/** writev until every byte is written: like write(2), a writev(2) may write fewer bytes than asked. */
async function writeAll(handle: FileHandle, chunks: readonly Uint8Array[]): Promise<number> {
  let pending = chunks.filter((chunk) => chunk.byteLength > 0);
  let total = 0;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending);
    if (bytesWritten === 0) throw new Error("writev wrote nothing");
    total += bytesWritten;
    let skip = bytesWritten;
    pending = pending.flatMap((chunk) => {
      const taken = Math.min(skip, chunk.byteLength);
      skip -= taken;
      return taken === chunk.byteLength ? [] : [chunk.subarray(taken)];
    });
  }
  return total;
}

function fileFailure(message: string, error: unknown, code: string): CliFailure {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    errno === "ENOENT"
      ? "no such file or directory"
      : errno === "EISDIR"
        ? "it is a directory"
        : errno === "EACCES"
          ? "permission denied"
          : (errno ?? (error instanceof Error ? error.message : "I/O error"));
  return new CliFailure(`${message}: ${why}`, { code, cause: error });
}

/** Trust anchors from PEM bundles; an unreadable or empty bundle is an error, not "untrusted". */
export async function loadTrust(paths: readonly string[]): Promise<Uint8Array[]> {
  const anchors: Uint8Array[] = [];
  for (const path of paths) {
    const text = Buffer.from(await readFileOrFail(path, "trust bundle")).toString("utf8");
    let certificates: Uint8Array[];
    try {
      certificates = parsePemBundle(text);
    } catch (error) {
      if (!isAppError(error)) throw error;
      throw new CliFailure(`${path}: ${error.message}`, { code: "TRUST_BUNDLE_INVALID" });
    }
    if (certificates.length === 0) {
      throw new CliFailure(`${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, {
        code: "TRUST_BUNDLE_INVALID",
      });
    }
    anchors.push(...certificates);
  }
  return anchors;
}
