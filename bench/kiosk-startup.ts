/**
 * `npm run bench:kiosk`: how fast the kiosk's first screen is ready to take a
 * vote, from the service worker's cache (issue 3 §6: under 1 s on the CI
 * machine).
 *
 * Runs the built `faccia start` (embedded demo, so /kiosk opens paired) and
 * Debian's Chromium. After one visit installs the service worker, it loads
 * /kiosk again N times, online and with the network cut, and reads the
 * `faccia:interactive` mark the app sets once the start screen has its
 * buttons wired. The baseline, in the same run and browser, is a minimal page
 * (one button, inline script) served by a bare node:http server: the cost of
 * a navigation itself. Prints p50/p95 and the ratio; writes
 * bench/results/kiosk-startup-<time>.json.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../test/support/browser.js";
import { benchDir } from "./support.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const BASELINE_PAGE = `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>baseline</title></head>
<body><script>const b=document.createElement("button");b.textContent="Vota";b.onclick=()=>{};
document.body.append(b);performance.mark("faccia:interactive");</script></body></html>`;

function startFaccia(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(benchDir, "..", "src", "cli", "main.js"), "start"], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", FACCIA_DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let banner = "";
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      banner += chunk.toString();
      const url = /Gateway\s+(http:\/\/\S+)/.exec(banner)?.[1];
      if (url && banner.includes("Stop with Ctrl-C.")) {
        resolve({
          url,
          stop: () =>
            new Promise((done) => {
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`faccia start exited with ${code}:\n${banner}`)));
  });
}

function startBaseline(): Promise<{ url: string; close(): void }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(BASELINE_PAGE);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() }),
    ),
  );
}

async function timeToInteractive(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName("faccia:interactive").length > 0, null, {
    timeout: 10_000,
  });
  return page.evaluate(() => performance.getEntriesByName("faccia:interactive")[0]?.startTime ?? Number.NaN);
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
};

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "faccia-bench-kiosk-"));
  const faccia = await startFaccia(dataDir);
  const baseline = await startBaseline();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const kioskUrl = `${faccia.url}/kiosk`;
    await timeToInteractive(page, kioskUrl); // first visit: pairs (demo) and installs the service worker
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)");
    await timeToInteractive(page, kioskUrl);

    const measure = async (url: string) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await timeToInteractive(page, url));
      return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: Math.max(...times) };
    };
    const base = await measure(baseline.url);
    const online = await measure(kioskUrl);
    await context.setOffline(true);
    const offline = await measure(kioskUrl);
    await context.setOffline(false);

    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const rows = [
      ["baseline: one-button page, no service worker", base],
      ["kiosk /kiosk from the service worker, online", online],
      ["kiosk /kiosk from the service worker, network cut", offline],
    ] as const;
    console.log(`\nfirst screen interactive (${RUNS} loads each, Chromium ${browser.version()})`);
    for (const [label, r] of rows)
      console.log(`  ${label.padEnd(52)} p50 ${ms(r.p50)}  p95 ${ms(r.p95)}  max ${ms(r.max)}`);
    console.log(
      `  ratio kiosk/baseline (p50): online ${(online.p50 / base.p50).toFixed(1)}×, offline ${(offline.p50 / base.p50).toFixed(1)}×`,
    );
    console.log(
      `  target: under 1000 ms from cache → ${Math.max(online.p95, offline.p95) < 1000 ? "met" : "NOT met"} (p95)`,
    );
    mkdirSync(join(benchDir, "results"), { recursive: true });
    const file = join(benchDir, "results", `kiosk-startup-${new Date().toISOString().replaceAll(":", "-")}.json`);
    writeFileSync(file, `${JSON.stringify({ runs: RUNS, baseline: base, online, offline }, null, 2)}\n`);
  } finally {
    await browser.close();
    baseline.close();
    await faccia.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
