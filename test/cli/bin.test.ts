import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitOf, startBin } from "../support/faccia-process.js";
import { BIN, buildOnce, ROOT } from "./build.js";
import { temporaryDirectory } from "./helpers.js";

function runBin(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", ...env },
    timeout: 30_000,
  });
}

describe("the built faccia bin", () => {
  const dataDir = temporaryDirectory();
  beforeAll(() => buildOnce(), 120_000);
  afterAll(() => dataDir.remove());

  it("exits 0 on --help and 2 on a usage error", () => {
    expect(runBin(["--help"]).status).toBe(0);
    const wrong = runBin(["kiosk", "pair-code", "--name", "X"]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("--entity");
  });

  it("reports pending migrations of a new embedded database with exit 1 and one JSON document", () => {
    const fresh = temporaryDirectory();
    try {
      const result = runBin(["migrate", "--status", "--json"], { FACCIA_DATA_DIR: fresh.path });
      expect(result.status).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ applied: 0, upToDate: false });
    } finally {
      fresh.remove();
    }
  });

  it("starts with the demo, prints the banner, logs JSON lines, and stops cleanly on SIGTERM and SIGINT", async () => {
    const env = { FACCIA_DATA_DIR: dataDir.path, LOG_LEVEL: "info" };
    const first = await startBin(env);
    const url = /Gateway\s+(http:\/\/\S+)/.exec(first.banner)?.[1] ?? "";
    const adminToken = /Admin token\s+(fp_\S+)/.exec(first.banner)?.[1];
    expect(first.banner).toMatch(/Second kiosk\s+pairing code [0-9A-Z]{4}-[0-9A-Z]{4} for "Secondo totem"/);
    expect(first.banner).toContain(`${url}/openapi.json`);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const kiosks = await fetch(`${url}/api/v1/entities/c_demo/kiosks`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(kiosks.status).toBe(200);
    // The first start gives the demo comune its sandbox PEC box and two oversight bodies.
    expect(first.banner).toMatch(/PEC\s+protocollo\.cdemo@pec\.sandbox\.test/);
    const recipients = await fetch(`${url}/api/v1/entities/c_demo/oversight-recipients`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(((await recipients.json()) as { items: unknown[] }).items).toHaveLength(2);
    const stopped = exitOf(first.child);
    first.child.kill("SIGTERM");
    expect(await stopped).toBe(0);
    const lines = first.stdout().trim().split("\n");
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain("demo data ready");

    const second = await startBin(env);
    expect(/Admin token\s+(fp_\S+)/.exec(second.banner)?.[1]).toBe(adminToken);
    const again = exitOf(second.child);
    second.child.kill("SIGINT");
    expect(await again).toBe(0);
  }, 60_000);
});
