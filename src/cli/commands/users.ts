import { type Command, InvalidArgumentError, Option } from "commander";
import {
  CLI_ACTOR,
  createAuditLog,
  createStaffUserRepository,
  createStaffUsers,
  parseFiscalCode,
  Role,
  type StaffUserRecord,
  type StaffUsers,
} from "../../identity/index.js";
import { systemClock } from "../../shared/clock.js";
import { type CommandContext, withServices } from "../context.js";
import { type CliIo, EXIT, type ExitCode, printJson, printLine, printTable, type RunState } from "../io.js";
import { examples, ipaOption } from "../options.js";

export interface AddUserOptions {
  fiscalCode: string;
  role: Role;
  entity: string;
  name?: string;
  json?: boolean;
}

/** Commander parser: a person's fiscal code, upper-cased, `TINIT-` dropped, check character verified. */
export function fiscalCodeOption(raw: string): string {
  const parsed = parseFiscalCode(raw);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.reason);
  return parsed.value;
}

function staffUsersOf({ database }: CommandContext): StaffUsers {
  const audit = createAuditLog(database.db, systemClock);
  return createStaffUsers({ repo: createStaffUserRepository(database.db, audit) });
}

function userJson(user: StaffUserRecord, entity: string) {
  const { entityId: _, ...rest } = user;
  return { ...rest, entity };
}

/** `faccia users add`: adds a staff user, or changes an existing one's role; audited with actor `cli`. */
export function addUserCommand(io: CliIo, options: AddUserOptions): Promise<ExitCode> {
  return withServices(io, async (context) => {
    const { user, outcome, previousRole } = await staffUsersOf(context).add({
      entityIpaCode: options.entity,
      fiscalCode: options.fiscalCode,
      role: options.role,
      name: options.name,
      actor: CLI_ACTOR,
    });
    if (options.json) {
      printJson(io, { outcome, previousRole, user: userJson(user, options.entity) });
      return EXIT.ok;
    }
    const who = `${user.fiscalCode} (${user.name})`;
    const messages = {
      added: `Added ${who} to ${options.entity} as ${user.role}.`,
      role_changed: `${who} of ${options.entity} is now ${user.role} (was ${previousRole}).`,
      renamed: `Renamed ${user.fiscalCode} of ${options.entity} to ${user.name}; role ${user.role} unchanged.`,
      unchanged: `${who} of ${options.entity} is already ${user.role}: nothing changed.`,
    };
    printLine(io.stdout, messages[outcome]);
    return EXIT.ok;
  });
}

/** `faccia users list`: the staff users of one comune. */
export function listUsersCommand(io: CliIo, options: { entity: string; json?: boolean }): Promise<ExitCode> {
  return withServices(io, async (context) => {
    const users = await staffUsersOf(context).list(options.entity);
    if (options.json) {
      printJson(io, { entity: options.entity, users: users.map((user) => userJson(user, options.entity)) });
      return EXIT.ok;
    }
    if (users.length === 0) {
      printLine(io.stdout, `No staff users in ${options.entity}: add the first admin with 'faccia users add'.`);
      return EXIT.ok;
    }
    const rows = users.map((u) => [u.fiscalCode, u.role, u.createdAt, u.name]);
    printTable(io.stdout, ["FISCAL CODE", "ROLE", "ADDED", "NAME"], rows);
    return EXIT.ok;
  });
}

/** `faccia users remove`: takes a staff user's role in one comune away; audited with actor `cli`. */
export function removeUserCommand(
  io: CliIo,
  options: { fiscalCode: string; entity: string; json?: boolean },
): Promise<ExitCode> {
  return withServices(io, async (context) => {
    await staffUsersOf(context).remove({
      entityIpaCode: options.entity,
      fiscalCode: options.fiscalCode,
      actor: CLI_ACTOR,
    });
    if (options.json) printJson(io, { removed: options.fiscalCode, entity: options.entity });
    else
      printLine(
        io.stdout,
        `Removed ${options.fiscalCode} from ${options.entity}: open sessions lose the role at once.`,
      );
    return EXIT.ok;
  });
}

export function registerUsers(program: Command, io: CliIo, state: RunState): void {
  const users = program.command("users").description("staff users of a comune, by fiscal code, and their roles");
  users
    .command("add")
    .description("add a staff user, or change the role of an existing one (bootstraps the first admin)")
    .requiredOption(
      "--fiscal-code <cf>",
      "(required) the person's codice fiscale, e.g. RSSMRA80A01H501U (TINIT- prefix accepted)",
      fiscalCodeOption,
    )
    .addOption(
      new Option("--role <role>", "(required) admin, secretary, operator or viewer")
        .choices(Role.options)
        .makeOptionMandatory(),
    )
    .requiredOption("--entity <ipa>", "(required) IPA code of the comune, e.g. c_h501", ipaOption)
    .option("--name <name>", "full name (default for a new user: the fiscal code)")
    .option("--json", 'print {"outcome", "previousRole", "user"}')
    .addHelpText(
      "after",
      examples(
        "faccia users add --fiscal-code RSSMRA80A01H501U --role admin --entity c_demo --name 'Mario Rossi'",
        "faccia users add --fiscal-code TINIT-RSSMRA80A01H501U --role secretary --entity c_demo --json",
      ),
    )
    .action(async (options: AddUserOptions) => {
      state.exitCode = await addUserCommand(io, options);
    });
  users
    .command("remove")
    .description("take a staff user's role in a comune away (open sessions lose it on their next request)")
    .requiredOption("--fiscal-code <cf>", "(required) the person's codice fiscale", fiscalCodeOption)
    .requiredOption("--entity <ipa>", "(required) IPA code of the comune, e.g. c_h501", ipaOption)
    .option("--json", 'print {"removed", "entity"}')
    .addHelpText("after", examples("faccia users remove --fiscal-code RSSMRA80A01H501U --entity c_demo"))
    .action(async (options: { fiscalCode: string; entity: string; json?: boolean }) => {
      state.exitCode = await removeUserCommand(io, options);
    });
  users
    .command("list")
    .description("list the staff users of a comune")
    .requiredOption("--entity <ipa>", "(required) IPA code of the comune, e.g. c_h501", ipaOption)
    .option("--json", 'print {"entity", "users": [...]}')
    .addHelpText("after", examples("faccia users list --entity c_demo", "faccia users list --entity c_demo --json"))
    .action(async (options: { entity: string; json?: boolean }) => {
      state.exitCode = await listUsersCommand(io, options);
    });
}
