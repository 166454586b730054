import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import type { ReportRepository } from "./adapters/report-repository.js";
import { dueMonths } from "./domain/schedule.js";
import type { Reports } from "./manage-reports.js";

/**
 * Makes the monthly draft reports when they are due (see domain/schedule.ts),
 * catching up runs missed while no gateway was up.
 *
 * Why not pg-boss: it talks to Postgres through node-postgres over TCP, and
 * the embedded default (PGlite) has no server to connect to; running one job
 * system for Postgres and another for PGlite would be worse than this. The
 * work here is one idempotent step per entity and month, so the database
 * gives exactly-once by itself: every tick runs under a cluster-wide advisory
 * lock, and the report's unique key (entity, period, language) refuses a
 * second draft even without it.
 */

/** Any constant works: it only has to be the same for every Faccia process. */
export const SCHEDULER_LOCK_KEY = 4_242_004;
export const SCHEDULER_INTERVAL_MS = 60_000;

export interface SchedulerDeps {
  reports: Reports;
  repo: ReportRepository;
  clock: Clock;
  log: Logger;
  withLock: <T>(key: number, work: () => Promise<T>) => Promise<T>;
}

/** What one pass did: drafts made now and drafts that failed (retried at the next pass), as `ipa/period`. */
export interface TickResult {
  made: string[];
  failed: Array<{ report: string; error: string }>;
}

export function createReportScheduler(deps: SchedulerDeps) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickResult> | undefined;
  /** Set by stop(): a pass in progress ends after the draft it is making (the next start catches up). */
  let stopping = false;

  async function tick(): Promise<TickResult> {
    return deps.withLock(SCHEDULER_LOCK_KEY, async () => {
      const made: string[] = [];
      const failed: TickResult["failed"] = [];
      for (const entity of await deps.repo.allEntities()) {
        const schedule = {
          timezone: entity.timezone,
          dayOfMonth: entity.reportDayOfMonth,
          hour: entity.reportHour,
          since: entity.createdAt,
        };
        for (const label of dueMonths(schedule, deps.clock.now())) {
          if (stopping) return { made, failed };
          if (await deps.repo.find(entity.id, "month", label, "it")) continue;
          try {
            const { record, created } = await deps.reports.generate({
              ipaCode: entity.ipaCode,
              period: label,
              by: "scheduler",
            });
            if (created) made.push(`${entity.ipaCode}/${label}`);
            deps.log.info(
              { entity: entity.ipaCode, period: label, reportId: record.id, created },
              "monthly draft report made",
            );
          } catch (error) {
            // One entity's failure must not stop the others; the next tick retries it.
            failed.push({
              report: `${entity.ipaCode}/${label}`,
              error: error instanceof Error ? error.message : String(error),
            });
            deps.log.error({ err: error, entity: entity.ipaCode, period: label }, "monthly draft report failed");
          }
        }
      }
      return { made, failed };
    });
  }

  return {
    /** One pass over every entity (passes never overlap within a process; the lock serialises processes). */
    tick(): Promise<TickResult> {
      running ??= tick().finally(() => {
        running = undefined;
      });
      return running;
    },
    start(intervalMs = SCHEDULER_INTERVAL_MS): void {
      const run = () =>
        void this.tick().catch((error: unknown) => deps.log.error({ err: error }, "report scheduler tick failed"));
      run();
      timer = setInterval(run, intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      stopping = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

export type ReportScheduler = ReturnType<typeof createReportScheduler>;
