import type { Command } from "commander";
import {
  createDemoStore,
  dateKey,
  type LocalDate,
  MAX_SEED_ENTITIES,
  parseDateKey,
  type SeedReport,
  seedDemoData,
} from "../../demo/index.js";
import { systemClock } from "../../shared/clock.js";
import { calendarDay } from "../../shared/time.js";
import { withServices } from "../context.js";
import {
  CliFailure,
  type CliIo,
  EXIT,
  type ExitCode,
  formatCount,
  printJson,
  printLine,
  type RunState,
} from "../io.js";
import { examples, integerOption } from "../options.js";
import { createProgress } from "../progress.js";

export interface SeedCommandOptions {
  votes: number;
  entities: number;
  months: number;
  seed: number;
  until?: string;
  batchSize: number;
  json?: boolean;
}

function untilDate(raw: string | undefined): LocalDate | undefined {
  if (raw === undefined) return undefined;
  try {
    const date = parseDateKey(raw);
    const today = calendarDay(new Date(), "Europe/Rome");
    if (dateKey(date) > today) throw new Error(`--until ${raw} is after today (${today})`);
    return date;
  } catch (error) {
    throw new CliFailure(error instanceof Error ? error.message : String(error));
  }
}

function printSummary(
  io: CliIo,
  report: SeedReport,
  run: { database: string; elapsedMs: number; votesPerSecond: number },
): void {
  const { votes } = report;
  const share = (n: number) => `${((100 * n) / Math.max(1, votes.generated)).toFixed(1)}%`;
  const lines = [
    `Seeded ${report.entities.length} comuni (${report.entities.map((e) => e.ipaCode).join(", ")}) on ${run.database}.`,
    `Votes ${report.since} … ${report.until}: ${formatCount(votes.generated)} generated, ` +
      `${formatCount(votes.inserted)} new, ${formatCount(votes.skipped)} already present.`,
    `Judgments: positive ${share(votes.positive)}, sufficient ${share(votes.sufficient)}, ` +
      `negative ${share(votes.negative)}; suspected repeats ${formatCount(votes.suspectedRepeats)}.`,
    `Users served: ${formatCount(report.servedCounts)} service-month figures.`,
    `Rate: ${formatCount(votes.generated)} votes in ${(run.elapsedMs / 1000).toFixed(1)} s, ` +
      `${formatCount(run.votesPerSecond)} votes/s.`,
  ];
  for (const line of lines) printLine(io.stdout, line);
}

/** `faccia demo seed`: synthetic comuni and votes for demos and benchmarks, with a progress bar and the rate. */
export function seedCommand(io: CliIo, options: SeedCommandOptions): Promise<ExitCode> {
  const until = untilDate(options.until);
  return withServices(io, async ({ database }) => {
    const progress = createProgress(io.stderr, { total: options.votes, label: "Seeding votes" });
    const started = performance.now();
    const report = await seedDemoData(
      { store: createDemoStore(database), clock: systemClock, onProgress: (done) => progress.update(done) },
      {
        votes: options.votes,
        entities: options.entities,
        months: options.months,
        seed: options.seed,
        batchSize: options.batchSize,
        ...(until ? { until } : {}),
      },
    );
    progress.finish();
    const elapsedMs = Math.round(performance.now() - started);
    const votesPerSecond = Math.round((report.votes.generated * 1000) / Math.max(1, elapsedMs));
    if (options.json) {
      printJson(io, { ...report, database: database.kind, elapsedMs, votesPerSecond });
      return EXIT.ok;
    }
    printSummary(io, report, { database: database.kind, elapsedMs, votesPerSecond });
    return EXIT.ok;
  });
}

export function registerDemo(program: Command, io: CliIo, state: RunState): void {
  const demo = program.command("demo").description("demo and benchmark data");
  demo
    .command("seed")
    .description(
      "create synthetic comuni (real names, plausible IPA codes) with offices, desks, services, kiosks, " +
        "votes over the last months and users-served counts; deterministic for a --seed and end date",
    )
    .requiredOption(
      "--votes <n>",
      "(required) how many votes to generate, e.g. 1000000 or 1_000_000",
      integerOption(0, 100_000_000),
    )
    .option(
      "--entities <n>",
      `how many comuni, largest first (1–${MAX_SEED_ENTITIES})`,
      integerOption(1, MAX_SEED_ENTITIES),
      5,
    )
    .option("--months <n>", "months of history before --until", integerOption(1, 120), 12)
    .option("--seed <n>", "random seed: the same seed gives the same data", integerOption(0, 4_294_967_295), 1)
    .option("--until <date>", "first day without votes, YYYY-MM-DD (default: today, Europe/Rome)")
    .option("--batch-size <n>", "votes per insert statement", integerOption(100, 100_000), 10_000)
    .option("--json", "print the summary as one JSON document")
    .addHelpText(
      "after",
      `${examples(
        "faccia demo seed --votes 50000",
        "faccia demo seed --votes 1_000_000 --entities 10 --months 24 --seed 7 --json",
        "DATABASE_URL=postgres://faccia@localhost/faccia_bench faccia demo seed --votes 5000000",
      )}
Vote ids come from the seed: seeding again with the same --seed adds no vote (use another seed to add more);
users-served counts are recomputed from all the votes of the seeded comuni.
With the embedded database (PGlite) stop the gateway first.
`,
    )
    .action(async (options: SeedCommandOptions) => {
      state.exitCode = await seedCommand(io, options);
    });
}
