import { execFile } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The Debian command-line tools the signature cross-checks run (xmlsec1, openssl, poppler's
 * pdfsig/pdftoppm, NSS certutil). On a developer machine without one, its tests are skipped with
 * a warning; with CI=true they run anyway and fail, so a missing tool never passes as green.
 */
export const TOOLS = {
  xmlsec1: "/usr/bin/xmlsec1",
  openssl: "/usr/bin/openssl",
  pdfsig: "/usr/bin/pdfsig",
  pdftoppm: "/usr/bin/pdftoppm",
  certutil: "/usr/bin/certutil",
} as const;

export type Tool = keyof typeof TOOLS;

/** `describe.skipIf(skipWithout(...))`: true only outside CI when a tool is missing. */
export function skipWithout(...tools: Tool[]): boolean {
  const missing = tools.filter((tool) => !existsSync(TOOLS[tool]));
  if (missing.length === 0 || process.env.CI) return false;
  process.emitWarning(`signature cross-checks skipped: ${missing.join(", ")} not installed`);
  return true;
}

export interface ToolRun {
  readonly exitCode: number;
  /** stdout and stderr together: these tools report results on either. */
  readonly output: string;
}

/** Runs a tool to completion; a non-zero exit is a result, not an exception. */
export function runTool(tool: Tool, args: readonly string[], options: { cwd?: string } = {}): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(TOOLS[tool], [...args], { cwd: options.cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(error);
        return;
      }
      resolve({ exitCode: typeof error?.code === "number" ? error.code : 0, output: `${stdout}${stderr}` });
    });
  });
}
