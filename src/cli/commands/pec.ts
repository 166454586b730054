import type { Command } from "commander";
import { type PecMessage, parsePecMessage } from "../../pec/index.js";
import { loadTrust, readFileOrFail } from "../files.js";
import { CliFailure, type CliIo, EXIT, type ExitCode, printJson, printLine, type RunState } from "../io.js";
import { examples } from "../options.js";

export interface PecParseOptions {
  trust?: string[];
  json?: boolean;
}

/** `faccia pec parse`: exit 0 when the message was read (whatever it says), 2 when it cannot be read. */
export async function pecParseCommand(io: CliIo, file: string, options: PecParseOptions): Promise<ExitCode> {
  const trust = await loadTrust(options.trust ?? []);
  const bytes = await readFileOrFail(file, "message");
  const result = parsePecMessage(bytes, { trust });
  if (!result.ok) throw new CliFailure(`${file}: ${result.error.message}`, { code: result.error.code });
  if (trust.length === 0) printLine(io.stderr, "no --trust given: the provider's signature cannot be trusted");
  if (options.json) printJson(io, pecMessageJson(result.message));
  else printMessage(io, file, result.message);
  return EXIT.ok;
}

/** The `--json` document (issue 6): dates as ISO strings, no binary. */
export function pecMessageJson(message: PecMessage) {
  const { signature } = message;
  return {
    type: message.type,
    references: { ...message.references },
    sender: message.sender,
    recipients: message.recipients.map(({ address, kind }) => ({ address, kind })),
    subject: message.subject,
    time: message.time?.toISOString() ?? null,
    errors: message.problems.map(({ code, message: text }) => ({ code, message: text })),
    daticert: { present: message.daticert !== null },
    signature: {
      present: signature.present,
      valid: signature.valid,
      trusted: signature.trusted,
      signer: signature.signer,
      signingTime: signature.signingTime?.toISOString() ?? null,
      digestAlgorithm: signature.digestAlgorithm,
    },
  };
}

function printMessage(io: CliIo, file: string, message: PecMessage): void {
  const { references: refs, signature } = message;
  printLine(io.stdout, `${file}: ${message.type}`);
  printLine(io.stdout, `  subject        ${message.subject ?? "(none)"}`);
  printLine(io.stdout, `  sender         ${message.sender ?? "(unknown)"}`);
  for (const recipient of message.recipients)
    printLine(io.stdout, `  recipient      ${recipient.address}${recipient.kind ? ` (${recipient.kind})` : ""}`);
  printLine(io.stdout, `  time           ${message.time?.toISOString() ?? "(unknown)"}`);
  printLine(io.stdout, `  message-id     ${refs.messageId ?? "-"}`);
  printLine(io.stdout, `  riferimento    ${refs.riferimentoMessageId ?? "-"}`);
  printLine(io.stdout, `  msgid          ${refs.msgid ?? "-"}`);
  printLine(io.stdout, `  identificativo ${refs.identificativo ?? "-"}`);
  printLine(io.stdout, `  daticert       ${message.daticert === null ? "absent" : "present"}`);
  const verdict = !signature.present
    ? "absent"
    : `${signature.valid ? "intact" : "NOT intact"}, ${signature.trusted ? "trusted" : "NOT trusted"}`;
  printLine(io.stdout, `  signature      ${verdict}`);
  if (signature.present) {
    const at = signature.signingTime?.toISOString() ?? "no signing time";
    printLine(
      io.stdout,
      `    ${signature.signer ?? "(signer not found)"} · ${signature.digestAlgorithm ?? "?"} · ${at}`,
    );
  }
  for (const problem of message.problems) printLine(io.stdout, `  ${problem.code}: ${problem.message}`);
}

const PEC_PARSE_HELP = `
Reads one message from a PEC mailbox (.eml, LF or CRLF): classifies it from its X-Ricevuta /
X-Trasporto headers and daticert.xml, and verifies the provider's S/MIME signature at its signing
time. "valid" means the signature is intact; "trusted" also needs a chain to a --trust anchor.
Missing parts, broken or untrusted signatures are listed as errors, not failures.

Exit status: 0 read; 2 unreadable file or trust bundle.
${examples("faccia pec parse receipt.eml --json", "faccia pec parse receipt.eml --trust pec-providers.pem")}`;

export function registerPec(program: Command, io: CliIo, state: RunState): void {
  const pec = program.command("pec").description("PEC (posta elettronica certificata) tools");
  pec
    .command("parse")
    .description("classify a PEC message, read its daticert.xml and verify its signature")
    .argument("<file>", "the message (.eml)")
    .option(
      "--trust <pem>",
      "PEM bundle of trusted PEC CA certificates (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--json", "print one JSON document {type, references, sender, recipients, subject, time, errors, …}")
    .addHelpText("after", PEC_PARSE_HELP)
    .action(async (file: string, options: PecParseOptions) => {
      state.exitCode = await pecParseCommand(io, file, options);
    });
}
