import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/program.js";
import type { DatabaseHandle } from "../../src/db/index.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Output streams that remember what was written. */
export function captureIo(env: Record<string, string> = {}, database?: DatabaseHandle, tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (chunk: string) => out.push(chunk) },
    stderr: { write: (chunk: string) => err.push(chunk), isTTY: tty },
    env: { LOG_LEVEL: "silent", FACCIA_DEMO: "0", ...env },
    ...(database ? { database } : {}),
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

/** `faccia …` in-process, against `database` when given (it stays open). */
export async function faccia(
  argv: string[],
  options: { env?: Record<string, string>; database?: DatabaseHandle } = {},
): Promise<CliRun> {
  const captured = captureIo(options.env, options.database);
  const code = await runCli(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

/** stdout parsed as exactly one JSON document (JSON.parse fails on anything more). */
export function jsonOf<T>(run: CliRun): T {
  return JSON.parse(run.stdout) as T;
}

/** A fresh temporary directory and its removal. */
export function temporaryDirectory(prefix = "faccia-cli-") {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
