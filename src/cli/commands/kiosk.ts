import type { Command } from "commander";
import { AppError } from "../../shared/errors.js";
import { withServices } from "../context.js";
import { type CliIo, EXIT, type ExitCode, printJson, printLine, type RunState } from "../io.js";
import { examples, ipaOption, uuidOption } from "../options.js";

export interface PairCodeOptions {
  entity: string;
  name: string;
  office?: string;
  json?: boolean;
}

/**
 * `faccia kiosk pair-code`: a single-use pairing code for the kiosk with this
 * name, creating the kiosk (at `--office`, or the entity's first office) if needed.
 */
export function pairCodeCommand(io: CliIo, options: PairCodeOptions): Promise<ExitCode> {
  return withServices(io, async ({ services }) => {
    const entityId = await services.entityIdByIpa(options.entity);
    if (!entityId) throw new AppError("RESOURCE_NOT_FOUND", `no entity with IPA code ${options.entity}`);
    const pairing = await services.kiosks.pairingCodeByName(entityId, options.name, options.office);
    if (options.json) {
      printJson(io, { code: pairing.code, expiresAt: pairing.expiresAt, kioskId: pairing.kiosk.id });
      return EXIT.ok;
    }
    printLine(io.stdout, `Pairing code for kiosk "${pairing.kiosk.name}" of ${options.entity}: ${pairing.code}`);
    printLine(io.stdout, `Valid until ${pairing.expiresAt}, once. Enter it on the kiosk (POST /api/kiosk/v1/pair).`);
    if (pairing.kiosk.status === "active") {
      printLine(io.stdout, "The kiosk is already paired: pairing again replaces its token.");
    }
    return EXIT.ok;
  });
}

export function registerKiosk(program: Command, io: CliIo, state: RunState): void {
  const kiosk = program.command("kiosk").description("manage kiosks (totem, tablet)");
  kiosk
    .command("pair-code")
    .description("print a single-use pairing code (valid 15 minutes) for a kiosk, creating the kiosk if needed")
    .requiredOption("--entity <ipa>", "(required) IPA code of the comune, e.g. c_h501", ipaOption)
    .requiredOption("--name <name>", '(required) kiosk name, unique in the comune, e.g. "Totem ingresso"')
    .option("--office <id>", "office (UUID) for a new kiosk; default: the comune's first office", uuidOption)
    .option("--json", 'print {"code", "expiresAt", "kioskId"}')
    .addHelpText(
      "after",
      examples(
        'faccia kiosk pair-code --entity c_demo --name "Totem anagrafe"',
        'faccia kiosk pair-code --entity c_h501 --name "Totem 2" --office 3f6c1e2a-5b7d-4c8e-9a01-2b3c4d5e6f70 --json',
      ),
    )
    .action(async (options: PairCodeOptions) => {
      state.exitCode = await pairCodeCommand(io, options);
    });
}
