import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const benchDir = dirname(fileURLToPath(import.meta.url));

export interface LoadPlan {
  url: string;
  tokens: string[];
  serviceIds: string[];
  votesPerRequest: number;
  connections: number;
  duration: number;
  overallRate?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  totalRequests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p99: number; max: number };
  durationSeconds: number;
}

/** Reads the first JSON line a child prints on stdout. */
function firstJsonLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => {
      try {
        resolve(JSON.parse(line) as T);
      } catch (error) {
        reject(error);
      }
    });
    child.once("exit", (code) => reject(new Error(`child exited with ${code} before answering`)));
  });
}

/** Starts a server script (compiled, next to this file) and waits for its URL. */
export async function startServer(
  script: string,
  env: Record<string, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=bench/results" profiles the servers under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(benchDir, script)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const { url } = await firstJsonLine<{ url: string }>(child);
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Runs autocannon in a second process (bench/load.mjs) and returns its summary. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const file = join(tmpdir(), `faccia-load-${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify(plan));
  const script = join(benchDir, "..", "..", "bench", "load.mjs");
  const child = spawn(process.execPath, [script, file], { stdio: ["ignore", "pipe", "inherit"] });
  return firstJsonLine<LoadResult>(child);
}

/** Votes per second actually stored or acknowledged: failed requests count for nothing. */
export function votesPerSecond(result: LoadResult, votesPerRequest: number): number {
  const okShare = result.totalRequests === 0 ? 0 : 1 - (result.non2xx + result.errors) / result.totalRequests;
  return result.requestsPerSecond * votesPerRequest * okShare;
}
