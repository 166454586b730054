import { type Command, Option } from "commander";
import { type AccessTokenRecord, Role } from "../../identity/index.js";
import { withServices } from "../context.js";
import { CliFailure, type CliIo, EXIT, type ExitCode, printJson, printLine, printTable, type RunState } from "../io.js";
import { examples, integerOption, ipaOption, uuidOption } from "../options.js";

export interface CreateTokenOptions {
  entity?: string;
  allEntities?: boolean;
  role: Role;
  name?: string;
  expiresInDays?: number;
  json?: boolean;
}

const DAY_MS = 86_400_000;

/** `faccia tokens create`: a personal access token for the staff API, shown once. */
export async function createTokenCommand(io: CliIo, options: CreateTokenOptions): Promise<ExitCode> {
  if (options.entity && options.allEntities) {
    throw new CliFailure("use either --entity IPA or --all-entities, not both");
  }
  if (!options.entity && !options.allEntities) {
    throw new CliFailure("name the comune with --entity IPA (or pass --all-entities for a platform-wide token)");
  }
  return withServices(io, async ({ services }) => {
    const scope = options.entity ?? "all entities";
    const { token, record } = await services.accessTokens.create({
      name: options.name ?? `${options.role} (${scope})`,
      role: options.role,
      entityIpaCode: options.entity,
      expiresAt: options.expiresInDays ? new Date(Date.now() + options.expiresInDays * DAY_MS) : undefined,
    });
    if (options.json) {
      printJson(io, { ...recordJson(record), token });
      return EXIT.ok;
    }
    printLine(io.stdout, token);
    printLine(
      io.stderr,
      `Created ${record.role} token "${record.name}" for ${scope} (id ${record.id}, ${
        record.expiresAt ? `expires ${record.expiresAt}` : "no expiry"
      }).`,
    );
    printLine(io.stderr, "Copy it now: only its hash is stored, it cannot be shown again.");
    return EXIT.ok;
  });
}

function recordJson(record: AccessTokenRecord) {
  const { entityIpaCode, ...rest } = record;
  return { ...rest, entity: entityIpaCode };
}

function status(record: AccessTokenRecord, now: number): string {
  if (record.revokedAt) return "revoked";
  if (record.expiresAt && Date.parse(record.expiresAt) <= now) return "expired";
  return "active";
}

/** `faccia tokens list`: every token (never the secret), optionally of one comune. */
export function listTokensCommand(io: CliIo, options: { entity?: string; json?: boolean }): Promise<ExitCode> {
  return withServices(io, async ({ services }) => {
    const now = Date.now();
    const records = (await services.accessTokens.list()).filter(
      (r) => options.entity === undefined || r.entityIpaCode === options.entity,
    );
    if (options.json) {
      printJson(io, { tokens: records.map((r) => ({ ...recordJson(r), status: status(r, now) })) });
      return EXIT.ok;
    }
    if (records.length === 0) {
      printLine(io.stdout, "No access tokens.");
      return EXIT.ok;
    }
    const rows = records.map((r) => [
      r.id,
      status(r, now),
      r.role,
      r.entityIpaCode ?? "*",
      r.lastUsedAt ?? "never",
      r.name,
    ]);
    printTable(io.stdout, ["ID", "STATUS", "ROLE", "ENTITY", "LAST USED", "NAME"], rows);
    return EXIT.ok;
  });
}

/** `faccia tokens revoke ID`: exit 1 when there is no active token with that id. */
export function revokeTokenCommand(io: CliIo, id: string, options: { json?: boolean }): Promise<ExitCode> {
  return withServices(io, async ({ services }) => {
    await services.accessTokens.revoke(id);
    if (options.json) printJson(io, { id, revoked: true });
    else printLine(io.stdout, `Revoked token ${id}.`);
    return EXIT.ok;
  });
}

function registerCreate(tokens: Command, io: CliIo, state: RunState): void {
  tokens
    .command("create")
    .description("create a personal access token (printed once: it cannot be shown again)")
    .option("--entity <ipa>", "the comune the token is limited to, e.g. c_demo", ipaOption)
    .option("--all-entities", "platform-wide token for every comune (instead of --entity)")
    .addOption(
      new Option("--role <role>", "(required) what the token may do").choices(Role.options).makeOptionMandatory(),
    )
    .option("--name <name>", "a label to recognise the token by (default: role and comune)")
    .option("--expires-in-days <n>", "expire after N days (default: never)", integerOption(1, 3650))
    .option("--json", "print the token and its record as one JSON document")
    .addHelpText(
      "after",
      examples(
        "faccia tokens create --entity c_demo --role admin --name 'Ufficio URP'",
        "faccia tokens create --all-entities --role operator --expires-in-days 30 --json",
        'curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/entities/c_demo/kiosks',
      ),
    )
    .action(async (options: CreateTokenOptions) => {
      state.exitCode = await createTokenCommand(io, options);
    });
}

export function registerTokens(program: Command, io: CliIo, state: RunState): void {
  const tokens = program.command("tokens").description("personal access tokens for the staff API");
  registerCreate(tokens, io, state);
  tokens
    .command("list")
    .description("list access tokens (ids, roles, status; never the secrets)")
    .option("--entity <ipa>", "only the tokens of this comune", ipaOption)
    .option("--json", "print one JSON document")
    .addHelpText("after", examples("faccia tokens list", "faccia tokens list --entity c_demo --json"))
    .action(async (options: { entity?: string; json?: boolean }) => {
      state.exitCode = await listTokensCommand(io, options);
    });
  tokens
    .command("revoke")
    .description("revoke a token at once (exit 1 if no active token has this id)")
    .argument("<id>", "the token's id (UUID), from 'faccia tokens list'", uuidOption)
    .option("--json", "print one JSON document")
    .addHelpText("after", examples("faccia tokens revoke 3f6c1e2a-5b7d-4c8e-9a01-2b3c4d5e6f70"))
    .action(async (id: string, options: { json?: boolean }) => {
      state.exitCode = await revokeTokenCommand(io, id, options);
    });
}
