/**
 * A real Dovecot IMAP server for the integration tests (issue 6): the configuration in
 * test/support/dovecot/dovecot.conf.template, a passwd-file with the test mailboxes, everything in
 * a temporary directory, listening on a free port of 127.0.0.1, serving the Maildirs under
 * `maildirRoot` that the sandbox (or a test) writes.
 *
 * Dovecot runs rootless, as the user running the tests. Under root (CI) it runs inside a user
 * namespace (`unshare --user`) where it is `nobody`: Dovecot refuses mail access as uid 0
 * ("userdb returned 0 as uid") and imap-login refuses to run as root, while outside the namespace
 * its file access is still root's, so it reads and moves the files the sandbox writes as root.
 *
 * Without Dovecot the suites are skipped locally; with CI=true they run and fail.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

export const DOVECOT_BINARY = "/usr/sbin/dovecot";
export const DOVECOT_AVAILABLE = spawnSync(DOVECOT_BINARY, ["--version"]).status === 0;
/** For `describe.skipIf`: skip only off CI, so a CI machine without Dovecot fails loudly. */
export const SKIP_WITHOUT_DOVECOT = !DOVECOT_AVAILABLE && process.env.CI !== "true";

const TEMPLATE = new URL("./dovecot/dovecot.conf.template", import.meta.url);
const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 15_000;

export interface DovecotUser {
  /** The login name and the Maildir's directory under the root, both lower-cased (Dovecot's `%Lu`). */
  readonly address: string;
  readonly password: string;
}

export interface DovecotServer {
  readonly host: string;
  readonly port: number;
  /** What Dovecot logged so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

export async function startDovecot(options: {
  maildirRoot: string;
  users: readonly DovecotUser[];
}): Promise<DovecotServer> {
  if (!DOVECOT_AVAILABLE) throw new Error(`${DOVECOT_BINARY} is not installed (Debian package dovecot-imapd)`);
  const dir = mkdtempSync(join(tmpdir(), "faccia-dovecot-"));
  writeFileSync(join(dir, "passwd"), options.users.map(passwdLine).join(""), { mode: 0o600 });
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await startInstance(dir, options.maildirRoot, await freePort());
    } catch (error) {
      lastError = error;
      // Another process took the port between our probe and Dovecot's bind: try another one.
      if (!String(error).includes("Address already in use")) break;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

async function startInstance(dir: string, maildirRoot: string, port: number): Promise<DovecotServer> {
  const identity = runAs();
  const config = writeConfig(dir, maildirRoot, port, identity);
  const [command, ...args] = [...identity.prefix, DOVECOT_BINARY, "-F", "-c", config];
  const child = spawn(command as string, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-64_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  // A test run that ends without stop() must not leave Dovecot behind.
  const onExit = () => child.kill("SIGTERM");
  process.once("exit", onExit);
  const terminateOnce = async () => {
    process.off("exit", onExit);
    await terminate(child);
  };
  try {
    await waitForGreeting(port, child, () => output);
  } catch (error) {
    await terminateOnce();
    throw error;
  }
  return {
    host: HOST,
    port,
    log: () => output,
    async stop() {
      await terminateOnce();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function writeConfig(dir: string, maildirRoot: string, port: number, identity: { user: string; group: string }) {
  const config = join(dir, "dovecot.conf");
  const values = {
    RUN_DIR: join(dir, "run"),
    STATE_DIR: join(dir, "state"),
    INSTANCE_NAME: `faccia-test-${port}`,
    USER: identity.user,
    GROUP: identity.group,
    PASSWD_FILE: join(dir, "passwd"),
    MAILDIR_ROOT: maildirRoot,
    PORT: String(port),
  };
  writeFileSync(config, render(readFileSync(TEMPLATE, "utf8"), values));
  return config;
}

/** The user Dovecot runs as, and the command that makes it that user. */
function runAs(): { user: string; group: string; prefix: string[] } {
  if (process.getuid?.() !== 0) {
    return { user: userInfo().username, group: idOf(["-gn"]), prefix: [] };
  }
  const uid = idOf(["-u", "nobody"]);
  const gid = idOf(["-g", "nobody"]);
  return {
    user: "nobody",
    group: idOf(["-gn", "nobody"]),
    prefix: ["unshare", "--user", `--map-user=${uid}`, `--map-group=${gid}`],
  };
}

function idOf(args: string[]): string {
  const result = spawnSync("id", args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`id ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

function passwdLine(user: DovecotUser): string {
  for (const value of [user.address, user.password]) {
    if (/[:\n\r\0]/.test(value) || value === "") throw new Error(`passwd-file cannot hold ${JSON.stringify(value)}`);
  }
  // user:password:uid:gid:gecos:home:shell:extra; uid and gid empty: the user running Dovecot.
  return `${user.address.toLowerCase()}:{PLAIN}${user.password}::::::\n`;
}

function render(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`dovecot.conf.template: no value for {{${name}}}`);
    return value;
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Until the port answers with the IMAP greeting (`* OK`, RFC 3501 §7.1.1), or Dovecot exits. */
async function waitForGreeting(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`dovecot exited (${child.exitCode ?? child.signalCode}):\n${log()}`);
    }
    if ((await readGreeting(port)).startsWith("* OK")) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`dovecot did not greet on ${HOST}:${port} within ${START_TIMEOUT_MS} ms:\n${log()}`);
}

function readGreeting(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    let received = "";
    const done = () => {
      socket.destroy();
      resolve(received);
    };
    socket.setTimeout(2_000, done);
    socket.on("error", done);
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (received.includes("\n")) done();
    });
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
