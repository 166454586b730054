import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileExists } from "../file-exists.js";
import {
  DEV_CERTIFICATE_ROLES,
  type DevCertificateOptions,
  type DevCertificateRole,
  type DevCertificateSet,
  generateDevCertificates,
} from "./dev-certificates.js";
import { derToPem } from "./pem.js";

/** Where one role's files live: PEM certificate, PEM PKCS#8 key, PKCS#12. */
export interface DevCertificateFiles {
  cert: string;
  key: string;
  p12: string;
}

export type DevCertificatePaths = Record<DevCertificateRole, DevCertificateFiles> & {
  /** The PKCS#12 password, and the file (mode 0600) that keeps it. */
  password: string;
  passwordFile: string;
};

const BASE_NAME: Record<DevCertificateRole, string> = {
  ca: "ca",
  seal: "seal",
  pecProvider: "pec-provider",
  samlSp: "saml-sp",
  tsa: "tsa",
};

const PASSWORD_FILE = "p12-password.txt";

/** The file names of a dev certificate directory (they are fixed: scripts and docs rely on them). */
export function devCertificateFiles(
  dir: string,
): Record<DevCertificateRole, DevCertificateFiles> & { passwordFile: string } {
  const root = resolve(dir);
  const files = Object.fromEntries(
    DEV_CERTIFICATE_ROLES.map((role) => {
      const base = join(root, BASE_NAME[role]);
      return [role, { cert: `${base}.pem`, key: `${base}.key`, p12: `${base}.p12` }];
    }),
  ) as Record<DevCertificateRole, DevCertificateFiles>;
  return { ...files, passwordFile: join(root, PASSWORD_FILE) };
}

/** Every path of the set, for "does anything exist already" checks. */
export function allDevCertificatePaths(dir: string): string[] {
  const files = devCertificateFiles(dir);
  return [...DEV_CERTIFICATE_ROLES.flatMap((role) => Object.values(files[role])), files.passwordFile];
}

/** Writes the set under `dir` (created if missing), replacing files of the same names. Keys are 0600. */
export async function writeDevCertificates(dir: string, set: DevCertificateSet): Promise<DevCertificatePaths> {
  const files = devCertificateFiles(dir);
  await mkdir(resolve(dir), { recursive: true });
  for (const role of DEV_CERTIFICATE_ROLES) {
    const paths = files[role];
    await writeFile(paths.cert, derToPem(set[role].certificate, "CERTIFICATE"));
    await writeFile(paths.key, derToPem(set[role].privateKey, "PRIVATE KEY"), { mode: 0o600 });
    await writeFile(paths.p12, set[role].p12, { mode: 0o600 });
  }
  await writeFile(files.passwordFile, `${set.password}\n`, { mode: 0o600 });
  return { ...files, password: set.password };
}

/**
 * The dev certificates in `dir`: the existing ones when every file is there (first boot makes
 * them, later boots reuse them), otherwise a fresh set written there.
 */
export async function ensureDevCertificates(
  dir: string,
  options: DevCertificateOptions,
): Promise<{ paths: DevCertificatePaths; created: boolean }> {
  const existing = await Promise.all(allDevCertificatePaths(dir).map((path) => fileExists(path)));
  const files = devCertificateFiles(dir);
  if (existing.every(Boolean)) {
    const password = (await readFile(files.passwordFile, "utf8")).trim();
    return { paths: { ...files, password }, created: false };
  }
  return { paths: await writeDevCertificates(dir, await generateDevCertificates(options)), created: true };
}
