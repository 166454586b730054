import { describe, expect, it } from "vitest";
import { fixedClock } from "../shared/clock.js";
import { silentLogger } from "../shared/logger.js";
import type { ReportRecord, ReportRepository } from "./adapters/report-repository.js";
import type { Reports } from "./manage-reports.js";
import { createReportScheduler } from "./report-scheduler.js";

/** An entity from 2020, so twelve months are due on 26 November 2026, and a generate that waits for us. */
function world() {
  const generated: string[] = [];
  let release: () => void = () => {};
  const entity = {
    id: "e1",
    ipaCode: "c_x",
    name: "Comune X",
    timezone: "Europe/Rome",
    minCellSize: 5,
    reportDayOfMonth: 1,
    reportHour: 3,
    createdAt: new Date("2020-01-01T00:00:00Z"),
  };
  const repo = {
    allEntities: async () => [entity],
    find: async () => null,
  } as unknown as ReportRepository;
  const reports = {
    async generate(request: { period: string }) {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      generated.push(request.period);
      return { record: { id: request.period } as unknown as ReportRecord, created: true };
    },
  } as unknown as Reports;
  const scheduler = createReportScheduler({
    reports,
    repo,
    clock: fixedClock(new Date("2026-11-26T12:00:00Z")),
    log: silentLogger(),
    withLock: (_key, work) => work(),
  });
  return { scheduler, generated, release: () => release() };
}

describe("report scheduler", () => {
  it("makes every due month in one pass, oldest first", async () => {
    const { scheduler, generated, release } = world();
    const pass = scheduler.tick();
    for (let i = 0; i < 12; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      release();
    }
    expect((await pass).made).toEqual(generated.map((period) => `c_x/${period}`));
    expect(generated[0]).toBe("2025-11");
    expect(generated).toHaveLength(12);
  });

  it("ends a pass after the current draft when stopped, so shutdown does not wait for every entity", async () => {
    const { scheduler, generated, release } = world();
    const pass = scheduler.tick();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const stopped = scheduler.stop();
    release();
    await stopped;
    expect((await pass).made).toEqual(["c_x/2025-11"]);
    expect(generated).toEqual(["2025-11"]);
  });
});
