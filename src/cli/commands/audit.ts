import { type Command, InvalidArgumentError } from "commander";
import { type ChainHead, type ChainVerdict, createAuditLog } from "../../identity/index.js";
import { systemClock } from "../../shared/clock.js";
import { withServices } from "../context.js";
import { type CliIo, EXIT, type ExitCode, printJson, printLine, type RunState } from "../io.js";
import { examples } from "../options.js";

/** Commander parser for a head printed by an earlier run: `SEQ:HASH`. */
export function anchorOption(raw: string): ChainHead {
  const match = /^(\d{1,15}):([0-9a-fA-F]{64})$/.exec(raw.trim());
  if (!match?.[1] || !match[2] || Number(match[1]) < 1) {
    throw new InvalidArgumentError(`expected SEQ:HASH as printed by 'faccia audit verify', got "${raw}"`);
  }
  return { seq: Number(match[1]), hash: match[2].toLowerCase() };
}

function printVerdict(io: CliIo, verdict: ChainVerdict): void {
  if (!verdict.ok) {
    const { problem } = verdict;
    printLine(io.stdout, `Audit log NOT intact: row ${problem.seq} ${problem.kind}: ${problem.detail}.`);
    printLine(io.stdout, `The ${verdict.count} rows before it check out.`);
    return;
  }
  if (!verdict.head) {
    printLine(io.stdout, "Audit log intact: it is empty.");
    return;
  }
  printLine(io.stdout, `Audit log intact: ${verdict.count} rows, each linked to the one before.`);
  printLine(io.stdout, `Head: ${verdict.head.seq}:${verdict.head.hash}`);
  printLine(
    io.stderr,
    "Keep the head elsewhere (a ticket, a signed report): rows deleted from the end of the log are found only with --anchor.",
  );
}

/** `faccia audit verify`: exit 0 when the chain is intact, 1 at the first altered or missing row. */
export function verifyAuditCommand(io: CliIo, options: { anchor?: ChainHead; json?: boolean }): Promise<ExitCode> {
  return withServices(io, async ({ database }) => {
    const audit = createAuditLog(database.db, systemClock);
    const verdict = await audit.verify(options.anchor ? { anchor: options.anchor } : {});
    if (options.json) printJson(io, verdict);
    else printVerdict(io, verdict);
    return verdict.ok ? EXIT.ok : EXIT.negative;
  });
}

export function registerAudit(program: Command, io: CliIo, state: RunState): void {
  const audit = program.command("audit").description("the append-only, hash-chained audit log");
  audit
    .command("verify")
    .description("check every row of the audit log against its hash and its predecessor (exit 1 at the first problem)")
    .option(
      "--anchor <seq:hash>",
      "a head printed by an earlier run: also detects rows deleted from the end or a re-hashed log",
      anchorOption,
    )
    .option("--json", 'print {"ok", "count", "head"} or {"ok": false, "count", "problem": {"seq", "kind", "detail"}}')
    .addHelpText(
      "after",
      examples(
        "faccia audit verify",
        "faccia audit verify --json",
        "faccia audit verify | sed -n 's/^Head: //p' > audit-head.txt",
        'faccia audit verify --anchor "$(cat audit-head.txt)"',
      ),
    )
    .action(async (options: { anchor?: ChainHead; json?: boolean }) => {
      state.exitCode = await verifyAuditCommand(io, options);
    });
}
