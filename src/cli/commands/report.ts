import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { type ArtifactFormat, createReportScheduler, type ReportRecord, type ReportStep } from "../../reports/index.js";
import { systemClock } from "../../shared/clock.js";
import { silentLogger } from "../../shared/logger.js";
import { withServices } from "../context.js";
import { type CliIo, EXIT, type ExitCode, printJson, printLine, type RunState } from "../io.js";
import { examples, ipaOption } from "../options.js";

const FORMATS: readonly ArtifactFormat[] = ["json", "csv", "pdf"];

const STEP_TEXT: Record<ReportStep, string> = {
  reading: "reading votes, served counts and kiosk activity",
  csv: "rendering CSV",
  pdf: "rendering PDF",
  json: "rendering JSON",
  saving: "saving the draft",
};

export interface GenerateOptions {
  entity: string;
  period: string;
  out?: string;
  format: ArtifactFormat[];
  language: "it" | "en";
  json?: boolean;
}

function formatsOption(raw: string): ArtifactFormat[] {
  const formats = raw.split(",").map((f) => f.trim().toLowerCase());
  const unknown = formats.filter((f) => !FORMATS.includes(f as ArtifactFormat));
  if (unknown.length > 0 || formats.length === 0) {
    throw new InvalidArgumentError(`expected a comma-separated list of json, csv, pdf (got ${raw})`);
  }
  return [...new Set(formats)] as ArtifactFormat[];
}

function languageOption(raw: string): "it" | "en" {
  if (raw !== "it" && raw !== "en") throw new InvalidArgumentError("expected it or en");
  return raw;
}

const fileName = (ipa: string, record: ReportRecord, format: ArtifactFormat) =>
  `faccia-${ipa}-${record.periodLabel.replaceAll("..", "_")}-${record.language}.${format}`;

/** `faccia report generate`: the draft of a period (or a regeneration), optionally written to --out. */
export function generateCommand(io: CliIo, options: GenerateOptions): Promise<ExitCode> {
  return withServices(io, async ({ services }) => {
    const started = performance.now();
    const { record, created } = await services.reports.generate({
      ipaCode: options.entity,
      period: options.period,
      language: options.language,
      by: "cli",
      onStep: (step) => printLine(io.stderr, `${options.entity} ${options.period}: ${STEP_TEXT[step]}…`),
    });
    const written: string[] = [];
    if (options.out) {
      const dir = resolve(options.out);
      await mkdir(dir, { recursive: true });
      for (const format of options.format) {
        const artifact = await services.reports.artifact(options.entity, record.id, format);
        const path = join(dir, fileName(options.entity, record, format));
        await writeFile(path, artifact.content);
        written.push(path);
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (options.json) {
      printJson(io, { ...summary(record), created, files: written });
      return EXIT.ok;
    }
    const verb = record.generation === 1 ? "made" : `regenerated (generation ${record.generation})`;
    printLine(
      io.stdout,
      `Report ${record.periodLabel} of ${options.entity} ${verb} in ${seconds} s: ${record.id}, ${record.status}`,
    );
    for (const artifact of record.artifacts)
      printLine(io.stdout, `  ${artifact.format.padEnd(4)} ${artifact.bytes} bytes  sha256 ${artifact.sha256}`);
    for (const path of written) printLine(io.stdout, `  wrote ${path}`);
    return EXIT.ok;
  });
}

function summary(record: ReportRecord) {
  return {
    id: record.id,
    period: record.periodLabel,
    firstDay: record.firstDay,
    lastDay: record.lastDay,
    language: record.language,
    status: record.status,
    generation: record.generation,
    generatedAt: record.generatedAt.toISOString(),
    files: record.artifacts,
  };
}

/** `faccia report list`: the entity's reports, newest period first. */
export function listCommand(io: CliIo, options: { entity: string; json?: boolean }): Promise<ExitCode> {
  return withServices(io, async ({ services }) => {
    const records = await services.reports.list(options.entity);
    if (options.json) {
      printJson(io, { items: records.map(summary) });
      return EXIT.ok;
    }
    if (records.length === 0) printLine(io.stdout, `No reports for ${options.entity} yet.`);
    for (const r of records) {
      printLine(
        io.stdout,
        `${r.periodLabel.padEnd(22)} ${r.language}  ${r.status.padEnd(20)} gen ${r.generation}  ${r.id}`,
      );
    }
    return EXIT.ok;
  });
}

/** `faccia report schedule`: one pass of the monthly scheduler, for cron-style deployments and catch-up. */
export function scheduleCommand(io: CliIo, options: { json?: boolean }): Promise<ExitCode> {
  return withServices(io, async ({ database, services }) => {
    const scheduler = createReportScheduler({
      reports: services.reports,
      repo: services.reportRepo,
      clock: systemClock,
      log: silentLogger(), // failures are printed below, and stdout stays one JSON document with --json
      withLock: (key, work) => database.withExclusiveLock(key, work),
    });
    const { made, failed } = await scheduler.tick();
    for (const failure of failed) printLine(io.stderr, `${failure.report}: ${failure.error}`);
    if (options.json) printJson(io, { made, failed });
    else printLine(io.stdout, made.length === 0 ? "No draft was due." : `Made: ${made.join(", ")}`);
    return failed.length > 0 ? EXIT.negative : EXIT.ok;
  });
}

export function registerReport(program: Command, io: CliIo, state: RunState): void {
  const report = program.command("report").description("satisfaction reports (PDF, CSV, JSON)");
  report
    .command("generate")
    .description("make the draft report of a period, or regenerate the existing draft, and optionally write its files")
    .requiredOption("--entity <ipa>", "(required) IPA code of the comune, e.g. c_demo", ipaOption)
    .requiredOption("--period <period>", "(required) 2026-10 (month), 2026-Q4, 2026, or 2026-10-01..2026-10-15")
    .option("--out <dir>", "write the files to this directory")
    .option("--format <list>", "files to write with --out: json,csv,pdf", formatsOption, [...FORMATS])
    .option("--language <it|en>", "language of the report", languageOption, "it")
    .option("--json", "print the report record as one JSON document")
    .addHelpText(
      "after",
      `${examples(
        "faccia report generate --entity c_demo --period 2026-10 --out reports/",
        "faccia report generate --entity c_demo --period 2026-Q3 --format pdf --out . --language en",
      )}
Progress goes to stderr. A draft can be regenerated; an approved report must be reopened first, and a signed one is final.
`,
    )
    .action(async (options: GenerateOptions) => {
      state.exitCode = await generateCommand(io, options);
    });
  report
    .command("list")
    .description("list the entity's reports with their status")
    .requiredOption("--entity <ipa>", "(required) IPA code of the comune", ipaOption)
    .option("--json", "print one JSON document")
    .addHelpText("after", examples("faccia report list --entity c_demo"))
    .action(async (options: { entity: string; json?: boolean }) => {
      state.exitCode = await listCommand(io, options);
    });
  report
    .command("schedule")
    .description(
      "make every monthly draft that is due now (day 1, 03:00 local by default), catching up missed months, then exit; " +
        "the gateway does this by itself every minute, and processes sharing one Postgres make each draft once",
    )
    .option("--json", 'print {"made": ["ipa/period", …], "failed": [{"report", "error"}]}; exit 1 if any failed')
    .addHelpText("after", examples("faccia report schedule", "faccia report schedule --json"))
    .action(async (options: { json?: boolean }) => {
      state.exitCode = await scheduleCommand(io, options);
    });
}
