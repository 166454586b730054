import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/index.js";
import { isAppError } from "../shared/errors.js";
import { softwareVersion } from "../shared/install.js";
import { registerAudit } from "./commands/audit.js";
import { registerCerts } from "./commands/certs.js";
import { registerDemo } from "./commands/demo.js";
import { registerKiosk } from "./commands/kiosk.js";
import { registerMigrate } from "./commands/migrate.js";
import { registerPec } from "./commands/pec.js";
import { registerPecSandbox } from "./commands/pec-sandbox.js";
import { registerReport } from "./commands/report.js";
import { registerSign } from "./commands/sign.js";
import { registerSp } from "./commands/sp.js";
import { registerStart } from "./commands/start.js";
import { registerTokens } from "./commands/tokens.js";
import { registerUsers } from "./commands/users.js";
import { registerVerify } from "./commands/verify.js";
import { CliFailure, type CliIo, EXIT, type ExitCode, printJson, printLine, type RunState } from "./io.js";

const EXIT_HELP = `
Exit status:
  0  success
  1  negative result (pending migrations, unknown entity, token or kiosk)
  2  usage error, invalid configuration, or system error

Configuration comes from the environment (PORT, HOST, DATABASE_URL, FACCIA_DATA_DIR, LOG_LEVEL, ...);
see .env.example. Without DATABASE_URL the embedded database (PGlite) in FACCIA_DATA_DIR is used:
stop the gateway before running other commands against it.
`;

/** The `faccia` command tree, writing through `io` and never calling process.exit. */
export function createProgram(io: CliIo, state: RunState): Command {
  const program = new Command("faccia")
    .description('Faccia: the "Mettiamoci la faccia" customer-satisfaction gateway for Italian comuni.')
    .version(softwareVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help for a command")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_HELP);
  registerStart(program, io, state);
  registerMigrate(program, io, state);
  registerKiosk(program, io, state);
  registerTokens(program, io, state);
  registerDemo(program, io, state);
  registerReport(program, io, state);
  registerCerts(program, io, state);
  registerSign(program, io, state);
  registerVerify(program, io, state);
  registerPec(program, io, state);
  registerPecSandbox(program, io, state);
  registerUsers(program, io, state);
  registerSp(program, io, state);
  registerAudit(program, io, state);
  return program;
}

function exitCodeOfCommander(error: CommanderError): ExitCode {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
  if (error.code === "commander.help" && error.exitCode === 0) return EXIT.ok;
  return EXIT.failure;
}

interface Reported {
  exitCode: ExitCode;
  code: string;
  message: string;
  problems?: string[];
}

function describe(error: unknown): Reported {
  if (error instanceof ConfigError) {
    return {
      exitCode: EXIT.failure,
      code: "CONFIG_INVALID",
      message: "invalid configuration",
      problems: error.problems,
    };
  }
  if (error instanceof CliFailure) return { exitCode: error.exitCode, code: error.code, message: error.message };
  if (isAppError(error)) {
    return {
      exitCode: error.kind === "not_found" ? EXIT.negative : EXIT.failure,
      code: error.code,
      message: error.message,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: EXIT.failure, code: "INTERNAL_ERROR", message };
}

function report(io: CliIo, error: unknown, json: boolean): ExitCode {
  const reported = describe(error);
  printLine(io.stderr, `faccia: ${reported.message}`);
  for (const problem of reported.problems ?? []) printLine(io.stderr, `  - ${problem}`);
  if (reported.code === "INTERNAL_ERROR" && error instanceof Error && /debug|trace/.test(io.env.LOG_LEVEL ?? "")) {
    printLine(io.stderr, error.stack);
  }
  if (json) {
    const { exitCode: _, ...body } = reported;
    printJson(io, { error: body });
  }
  return reported.exitCode;
}

export type { RunState } from "./io.js";

/**
 * Runs `faccia` with `argv` (without the node and script paths) and returns
 * its exit status: 0 success, 1 negative result, 2 usage or system error.
 */
export async function runCli(argv: readonly string[], io: CliIo, state: RunState = { exitCode: 0, keepAlive: false }) {
  const program = createProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      const exitCode = exitCodeOfCommander(error);
      if (exitCode !== EXIT.ok && argv.includes("--json")) {
        printJson(io, { error: { code: "CLI_USAGE", message: error.message.replace(/^error: /, "") } });
      }
      return exitCode;
    }
    return report(io, error, argv.includes("--json"));
  }
}
