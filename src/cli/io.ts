import type { DatabaseHandle } from "../db/index.js";

/**
 * The CLI's output layer: every byte the `faccia` command prints goes
 * through a `CliIo`, so tests capture it and the bin wires it to the process.
 */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  /** Results: human text, or exactly one JSON document with `--json`. */
  stdout: OutputStream;
  /** Progress, warnings and error messages. */
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** An already open database to use instead of the configured one (tests); commands leave it open. */
  database?: DatabaseHandle;
}

/** Exit statuses shared by every command (DESIGN.md "CLI faccia"). */
export const EXIT = { ok: 0, negative: 1, failure: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where an action handler leaves its exit status for `runCli`. */
export interface RunState {
  exitCode: ExitCode;
  /** true once a command keeps the process alive on purpose (`start`). */
  keepAlive: boolean;
}

/** A failure with a message meant for the user and its exit status (2 usage/system, 1 negative result). */
export class CliFailure extends Error {
  readonly exitCode: ExitCode;
  readonly code: string;

  constructor(message: string, options: { exitCode?: ExitCode; code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliFailure";
    this.exitCode = options.exitCode ?? EXIT.failure;
    this.code = options.code ?? "CLI_USAGE";
  }
}

export function printLine(stream: OutputStream, text = ""): void {
  stream.write(`${text}\n`);
}

/** A table for people: columns padded to their widest cell, two spaces apart, the last one left free. */
export function printTable(
  stream: OutputStream,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  for (const row of [header, ...rows]) {
    printLine(stream, row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "));
  }
}

/** The single JSON document of a `--json` run. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `1234567` → `1,234,567` (digits grouped the same on every machine). */
export function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
