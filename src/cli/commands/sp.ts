import type { Command } from "commander";
import { CLI_ACTOR, createAuditLog, createLoginRepository, createSpProfiles } from "../../identity/index.js";
import { createEntityLookup } from "../../organization/index.js";
import { systemClock } from "../../shared/clock.js";
import { type CommandContext, withServices } from "../context.js";
import { type CliIo, EXIT, type ExitCode, printJson, printLine, type RunState } from "../io.js";
import { examples, ipaOption } from "../options.js";

export interface SetSpOptions {
  entity: string;
  url: string;
  email: string;
  phone?: string;
  municipality?: string;
  province?: string;
  json?: boolean;
}

function spProfilesOf({ database }: CommandContext) {
  return createSpProfiles({
    repo: createLoginRepository(database.db),
    audit: createAuditLog(database.db, systemClock),
    entityIdByIpa: createEntityLookup(database.db),
    clock: systemClock,
  });
}

const FIELDS = [
  ["organizationUrl", "OrganizationURL"],
  ["contactEmail", "Contact e-mail"],
  ["contactPhone", "Contact phone"],
  ["municipality", "Municipality (CIE)"],
  ["province", "Province (CIE)"],
] as const;

function printProfile(io: CliIo, entity: string, profile: Record<(typeof FIELDS)[number][0], string | null>): void {
  printLine(io.stdout, `SAML SP profile of ${entity}:`);
  for (const [key, label] of FIELDS) printLine(io.stdout, `  ${label.padEnd(20)}${profile[key] ?? "-"}`);
}

/** `faccia sp set`: the metadata values of the entity that operates the SAML SP; audited with actor `cli`. */
export function setSpCommand(io: CliIo, options: SetSpOptions): Promise<ExitCode> {
  return withServices(io, async (context) => {
    const { entityId: _, ...profile } = await spProfilesOf(context).set(
      options.entity,
      {
        organizationUrl: options.url,
        contactEmail: options.email,
        contactPhone: options.phone ?? null,
        municipality: options.municipality?.toUpperCase() ?? null,
        province: options.province?.toUpperCase() ?? null,
      },
      CLI_ACTOR,
    );
    if (options.json) printJson(io, { entity: options.entity, profile });
    else printProfile(io, options.entity, profile);
    return EXIT.ok;
  });
}

/** `faccia sp show`: exit 1 when the entity has no profile yet. */
export function showSpCommand(io: CliIo, options: { entity: string; json?: boolean }): Promise<ExitCode> {
  return withServices(io, async (context) => {
    const stored = await spProfilesOf(context).get(options.entity);
    if (options.json) {
      const { entityId: _, ...profile } = stored ?? { entityId: "" };
      printJson(io, { entity: options.entity, profile: stored ? profile : null });
    } else if (stored) printProfile(io, options.entity, stored);
    else printLine(io.stdout, `${options.entity} has no SAML SP profile: set it with 'faccia sp set'.`);
    return stored ? EXIT.ok : EXIT.negative;
  });
}

export function registerSp(program: Command, io: CliIo, state: RunState): void {
  const sp = program
    .command("sp")
    .description("the SPID/CIE service provider profile of the entity that operates the gateway (metadata values)");
  sp.command("set")
    .description("set the metadata values AgID and the CIE federation ask for (OrganizationURL, contact, municipality)")
    .requiredOption("--entity <ipa>", "(required) IPA code of the operating entity (FACCIA_SAML_SP_ENTITY)", ipaOption)
    .requiredOption("--url <url>", "(required) the entity's institutional site, e.g. https://www.comune.demo.it")
    .requiredOption("--email <address>", "(required) institutional contact e-mail, e.g. protocollo@comune.demo.it")
    .option("--phone <number>", "contact phone, international format without spaces, e.g. +390612345678")
    .option("--municipality <belfiore>", "Belfiore code of the municipality (required for CIE), e.g. H501")
    .option("--province <code>", "province code (CIE), e.g. RM")
    .option("--json", 'print {"entity", "profile"}')
    .addHelpText(
      "after",
      examples(
        "faccia sp set --entity c_h501 --url https://www.comune.roma.it --email protocollo@comune.roma.it --municipality H501 --province RM",
      ),
    )
    .action(async (options: SetSpOptions) => {
      state.exitCode = await setSpCommand(io, options);
    });
  sp.command("show")
    .description("print the SP profile (exit 1 when there is none)")
    .requiredOption("--entity <ipa>", "(required) IPA code of the operating entity", ipaOption)
    .option("--json", 'print {"entity", "profile"}')
    .action(async (options: { entity: string; json?: boolean }) => {
      state.exitCode = await showSpCommand(io, options);
    });
}
