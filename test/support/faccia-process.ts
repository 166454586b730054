import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { BIN, ROOT } from "../cli/build.js";

export type FacciaProcess = ChildProcessByStdio<null, Readable, Readable>;

/** Starts the built `faccia start` (the `npm start` path) and resolves with its banner once it is ready. */
export function startBin(
  env: Record<string, string>,
): Promise<{ child: FacciaProcess; banner: string; url: string; stdout: () => string }> {
  const child = spawn(process.execPath, [BIN, "start"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("Stop with Ctrl-C.")) {
        const url = /Gateway\s+(http:\/\/\S+)/.exec(stderr)?.[1] ?? "";
        resolve({ child, banner: stderr, url, stdout: () => stdout });
      }
    });
    child.once("exit", (code) => reject(new Error(`faccia start exited with ${code}:\n${stderr}`)));
  });
}

export function exitOf(child: FacciaProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}
