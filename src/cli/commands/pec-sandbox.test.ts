import { mkdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIo, faccia, temporaryDirectory } from "../../../test/cli/helpers.js";
import { parsePecMessage, readMaildir } from "../../pec/index.js";
import {
  devCertificatesDirectory,
  generateDevCertificates,
  parsePemBundle,
  writeDevCertificates,
} from "../../signature/index.js";
import { startPecSandbox } from "./pec-sandbox.js";

/** `faccia pec sandbox`: the command function started and stopped in-process, and its usage errors. */
const EC = { kind: "ec", namedCurve: "P-256" } as const;
const data = temporaryDirectory("faccia-pec-sandbox-");
afterAll(() => data.remove());

beforeAll(async () => {
  // EC keys: the command reuses certificates it finds, so the test does not wait for RSA keys.
  const set = await generateDevCertificates({
    ipa: "c_demo",
    entityName: "Comune di Demo",
    now: new Date(),
    keys: { ca: EC, seal: EC, pecProvider: EC, samlSp: EC, tsa: EC },
  });
  await writeDevCertificates(devCertificatesDirectory(data.path), set);
});

interface Summary {
  smtp: string;
  host: string;
  port: number;
  domain: string;
  maildir: string;
  mailboxes: { kind: string };
  trust: string;
}

describe("faccia pec sandbox", () => {
  it("listens, prints one JSON document, takes a submission with FACCIA_SANDBOX_PASSWORD, and stops", async () => {
    const { io, stdout } = captureIo({ FACCIA_DATA_DIR: data.path, FACCIA_SANDBOX_PASSWORD: "pw-from-env" });
    const running = await startPecSandbox(io, { smtpPort: 0, host: "127.0.0.1", json: true });
    const summary = JSON.parse(stdout()) as Summary;
    expect(summary).toMatchObject({
      host: "127.0.0.1",
      domain: "pec.sandbox.test",
      maildir: join(data.path, "pec-sandbox", "maildir"),
      mailboxes: { kind: "domain" },
      trust: join(data.path, "certs", "ca.pem"),
    });
    expect(summary.smtp).toBe(`smtp://127.0.0.1:${summary.port}`);

    const user = "protocollo@pec.sandbox.test";
    const transport = nodemailer.createTransport({
      host: summary.host,
      port: summary.port,
      secure: false,
      ignoreTLS: true,
      auth: { user, pass: "pw-from-env" },
    });
    await transport.sendMail({
      from: user,
      to: user,
      subject: "Prova",
      text: "x",
      messageId: "<cli-1@faccia.example>",
    });
    transport.close();
    await running.stop();

    const trust = parsePemBundle(await readFile(summary.trust, "utf8"));
    const types = (await readMaildir(summary.maildir, user)).map((file) => {
      const parsed = parsePecMessage(file.bytes, { trust });
      return parsed.ok && parsed.message.signature.trusted ? parsed.message.type : "untrusted";
    });
    expect(types.sort()).toEqual(["accettazione", "avvenuta-consegna", "posta-certificata"]);
    await expect(
      nodemailer.createTransport({ host: summary.host, port: summary.port, ignoreTLS: true }).verify(),
    ).rejects.toMatchObject({ code: "ESOCKET" });
  });

  it("prints the SMTP address, domain and Maildir for people, with the boxes of --users", async () => {
    const users = join(data.path, "users.txt");
    writeFileSync(users, "# boxes\nufficio@pec.comune.test s3cret\n");
    const maildir = join(data.path, "elsewhere");
    const { io, stdout, stderr } = captureIo({ FACCIA_DATA_DIR: data.path });
    const running = await startPecSandbox(io, {
      smtpPort: 0,
      host: "127.0.0.1",
      users,
      maildir,
      domain: "pec.comune.test",
    });
    await running.stop();
    expect(stdout()).toContain(`PEC sandbox provider listening on smtp://127.0.0.1:${running.provider.port}`);
    expect(stdout()).toMatch(/domain\s+pec\.comune\.test/);
    expect(stdout()).toContain(`mailboxes  the boxes listed in ${users}`);
    expect(stdout()).toContain(`maildir    ${maildir}/<address>/{cur,new,tmp}`);
    expect(stdout()).not.toContain("s3cret");
    expect(stderr()).toContain("Ctrl-C");
  });

  it("names the file and the line of a malformed --users file, exit 2", async () => {
    mkdirSync(join(data.path, "bad"), { recursive: true });
    const users = join(data.path, "bad", "users.txt");
    writeFileSync(users, "ok@pec.sandbox.test pw\n\njust-one-field\n");
    const run = await faccia(["pec", "sandbox", "--users", users, "--smtp-port", "0"], {
      env: { FACCIA_DATA_DIR: data.path },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${users}: line 3: expected "address password"`);
  });

  it("refuses a bad --domain or --smtp-port as usage errors, and documents itself in --help", async () => {
    expect((await faccia(["pec", "sandbox", "--domain", "not a domain"])).code).toBe(2);
    expect((await faccia(["pec", "sandbox", "--smtp-port", "70000"])).code).toBe(2);
    const help = await faccia(["pec", "sandbox", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--smtp-port <n>");
    expect(help.stdout).toContain("FACCIA_SANDBOX_PASSWORD");
    expect(help.stdout).toContain("$ faccia pec sandbox --smtp-port 0 --json");
  });
});
