import { access } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import {
  allDevCertificatePaths,
  DEV_CERTIFICATE_ROLES,
  type DevCertificatePaths,
  generateDevCertificates,
  writeDevCertificates,
} from "../../signature/index.js";
import { CliFailure, type CliIo, EXIT, type ExitCode, printJson, printLine, type RunState } from "../io.js";
import { examples, integerOption, ipaOption } from "../options.js";

export interface DevCertsOptions {
  out: string;
  ipa: string;
  name?: string;
  /** The SAML SP entityID, written as the `uri` of the SAML SP certificate (AgID Avviso 29 v3). */
  samlEntityId?: string;
  validityDays: number;
  force?: boolean;
  json?: boolean;
}

const ROLE_LABEL = {
  ca: "development CA",
  seal: "entity seal (sigillo)",
  pecProvider: "PEC provider",
  samlSp: "SAML SP",
  tsa: "timestamp authority",
} as const;

/** `faccia certs dev`: a development CA and the certificates the gateway signs with, as PEM and PKCS#12. */
export async function devCertsCommand(io: CliIo, options: DevCertsOptions): Promise<ExitCode> {
  const dir = resolve(options.out);
  if (!options.force) {
    const taken = await firstExisting(allDevCertificatePaths(dir));
    if (taken) {
      throw new CliFailure(`${taken} already exists: pass --force to replace the certificates in ${dir}`);
    }
  }
  const entityName = options.name ?? (options.ipa === "c_demo" ? "Comune di Demo" : options.ipa);
  printLine(io.stderr, `Generating keys and certificates for ${options.ipa} (${entityName})…`);
  const set = await generateDevCertificates({
    ipa: options.ipa,
    entityName,
    now: new Date(),
    validityDays: options.validityDays,
    password: io.env.FACCIA_P12_PASSWORD || undefined,
    ...(options.samlEntityId ? { samlEntityId: options.samlEntityId } : {}),
  });
  const paths = await writeDevCertificates(dir, set);
  if (options.json) {
    printJson(io, jsonOf(paths));
    return EXIT.ok;
  }
  printSummary(io, dir, paths, options.validityDays);
  return EXIT.ok;
}

function jsonOf(paths: DevCertificatePaths) {
  return Object.fromEntries([
    ...DEV_CERTIFICATE_ROLES.map((role) => [role, paths[role]]),
    ["password", paths.password],
  ]) as Record<string, unknown>;
}

function printSummary(io: CliIo, dir: string, paths: DevCertificatePaths, validityDays: number): void {
  printLine(io.stdout, `Development certificates in ${dir} (valid ${validityDays} days):`);
  for (const role of DEV_CERTIFICATE_ROLES) {
    const files = [paths[role].cert, paths[role].key, paths[role].p12].map((file) => relative(dir, file));
    printLine(io.stdout, `  ${ROLE_LABEL[role].padEnd(22)} ${files.join("  ")}`);
  }
  printLine(io.stdout, `PKCS#12 password: in ${relative(dir, paths.passwordFile)} (mode 0600)`);
  printLine(io.stderr, "For development and tests only: no verifier trusts this CA.");
}

/** Commander parser: an http(s) URI without query or fragment, as an entityID must be (metadata.rst). */
function samlEntityIdOption(raw: string): string {
  if (!/^https?:\/\/[^\s?#]+$/.test(raw)) {
    throw new InvalidArgumentError(`expected an http(s) URL without query or fragment, got "${raw}"`);
  }
  return raw;
}

async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      await access(path);
      return path;
    } catch {
      // not there: fine
    }
  }
  return undefined;
}

export function registerCerts(program: Command, io: CliIo, state: RunState): void {
  const certs = program.command("certs").description("certificates for signing, PEC, SAML and timestamps");
  certs
    .command("dev")
    .description("make a development CA and the seal, PEC provider, SAML SP and TSA certificates it issues")
    .requiredOption("--out <dir>", "(required) directory for the PEM, key and .p12 files (created if missing)")
    .option(
      "--ipa <ipa>",
      "IPA code of the comune: the seal says organizationIdentifier=PA:IT-<ipa>",
      ipaOption,
      "c_demo",
    )
    .option(
      "--name <name>",
      'name of the comune in the seal and SAML SP subjects (default "Comune di Demo" for c_demo)',
    )
    .option(
      "--saml-entity-id <url>",
      "the SAML SP entityID, written as uri= in the SAML SP certificate (default https://<ipa>.faccia.invalid)",
      samlEntityIdOption,
    )
    .option("--validity-days <n>", "how long the certificates are valid", integerOption(1, 3650), 365)
    .option("--force", "replace certificates already in --out")
    .option("--json", "print the file paths by role (ca, seal, pecProvider, samlSp, tsa) and the password as JSON")
    .addHelpText(
      "after",
      `
Files: ca, seal, pec-provider, saml-sp and tsa, each as .pem (certificate), .key (PKCS#8) and
.p12 (PKCS#12 with the CA), all under one password kept in p12-password.txt. The password is
FACCIA_P12_PASSWORD when set, otherwise a random one. Keys are RSA (3072 bits for the seal).
The TSA certificate has the critical timeStamping extended key usage RFC 3161 requires.
${examples(
  "faccia certs dev --out ./data/certs",
  "faccia certs dev --out /tmp/certs --ipa c_h501 --name 'Roma Capitale' --json",
  "faccia certs dev --out /tmp/certs --saml-entity-id https://faccia.comune.example.it",
  "openssl verify -CAfile ./data/certs/ca.pem ./data/certs/seal.pem",
)}`,
    )
    .action(async (options: DevCertsOptions) => {
      state.exitCode = await devCertsCommand(io, options);
    });
}
