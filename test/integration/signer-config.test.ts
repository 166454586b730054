import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/index.js";
import { createApplication } from "../../src/main.js";
import { generateDevCertificates, writeDevCertificates } from "../../src/signature/index.js";
import { testConfig } from "../support/app.js";

/**
 * A gateway whose signer is misconfigured must not start (issue 5, "bad input gets a clear
 * error"): it says which key is missing or that the password is wrong, before touching the
 * database, and never repeats the password.
 */
describe("signer configuration at start", () => {
  let dir: string;
  let p12: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "faccia-signer-config-"));
    const P256 = { kind: "ec", namedCurve: "P-256" } as const;
    const set = await generateDevCertificates({
      ipa: "c_test",
      entityName: "Comune di Test",
      now: new Date(),
      password: "giusta",
      keys: { ca: P256, seal: P256, pecProvider: P256, samlSp: P256, tsa: P256 },
    });
    p12 = (await writeDevCertificates(dir, set)).seal.p12;
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (env: Record<string, string>) =>
    createApplication(testConfig({ FACCIA_DATA_DIR: join(dir, "data"), ...env }));

  it("names the missing key when FACCIA_SIGNER=p12 has no file", async () => {
    const failure = await start({ FACCIA_SIGNER: "p12" }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).problems).toEqual(["FACCIA_P12_FILE: required with FACCIA_SIGNER=p12"]);
  });

  it("refuses a wrong PKCS#12 password without repeating it", async () => {
    const failure = await start({
      FACCIA_SIGNER: "p12",
      FACCIA_P12_FILE: p12,
      FACCIA_P12_PASSWORD: "sbagliata-123",
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "P12_INVALID_PASSWORD" });
    expect(String((failure as Error).message)).not.toContain("sbagliata-123");
  });

  it("reads the password from FACCIA_P12_PASSWORD_FILE and starts with the seal", async () => {
    const passwordFile = join(dir, "password.txt");
    writeFileSync(passwordFile, "giusta\n");
    const application = await start({
      FACCIA_SIGNER: "p12",
      FACCIA_P12_FILE: p12,
      FACCIA_P12_PASSWORD_FILE: passwordFile,
    });
    try {
      expect(application.signature.signerCertificate?.organizationIdentifier).toBe("PA:IT-c_test");
    } finally {
      await application.close();
    }
  });
});
