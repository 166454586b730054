import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_IDP_USERS } from "../../src/identity/index.js";
import type { Application } from "../../src/main.js";
import { fixedClock } from "../../src/shared/clock.js";
import { derToPem } from "../../src/signature/certificates/pem.js";
import { testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { seedOrganization } from "../support/fixtures.js";
import { appFetcher, createLoginBrowser, formsOf, type LoginBrowser, type Page } from "../support/login-browser.js";
import { samlSpKeys } from "../support/saml-sp-keys.js";

/** The gateway's base URL in these tests (`configuredUrl` of the test config). */
const ORIGIN = "http://127.0.0.1:8080";
const DEV_IDP = `${ORIGIN}/dev-idp`;
const secretary = DEV_IDP_USERS.find((user) => user.key === "secretary");
if (!secretary) throw new Error("the development IdP has no secretary");

/** Writes the test SP key and certificate as PEM files, as an operator configures them. */
async function spKeyFiles(dir: string): Promise<Record<string, string>> {
  const { set } = await samlSpKeys();
  const key = join(dir, "saml-sp.key");
  const cert = join(dir, "saml-sp.pem");
  await writeFile(key, derToPem(set.samlSp.privateKey, "PRIVATE KEY"));
  await writeFile(cert, derToPem(set.samlSp.certificate, "CERTIFICATE"));
  return { FACCIA_SAML_KEY_FILE: key, FACCIA_SAML_CERT_FILE: cert };
}

describe.each(backends)("staff login through the development IdP (%s)", (backend) => {
  let database: TestDatabase;
  let application: Application;
  let dir: string;
  const clock = fixedClock(new Date());

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "faccia-login-"));
    database = await openTestDatabase(backend);
    await seedOrganization(database.db, "c_demo");
    application = await testApplication(database, {
      clock,
      env: { FACCIA_DEV_IDP: "1", FACCIA_SAML_SP_ENTITY: "c_demo", FACCIA_DATA_DIR: dir, ...(await spKeyFiles(dir)) },
    });
    await application.identity.prepareDemo();
  });

  afterAll(async () => {
    await application?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const newBrowser = () => createLoginBrowser(appFetcher(application.app), ORIGIN);

  async function countRows(table: "saml_exchange"): Promise<number> {
    const result = await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`));
    const rows = (result as unknown as { rows?: { n: number }[] }).rows ?? (result as unknown as { n: number }[]);
    return Number(rows[0]?.n);
  }

  /** From the login page to the development IdP's auto-post page, as `user`. */
  async function untilAutoPost(browser: LoginBrowser, user: string, level = 2): Promise<Page> {
    const start = await browser.request(`/auth/spid/login?${new URLSearchParams({ idp: DEV_IDP, level: `${level}` })}`);
    expect(start.status).toBe(302);
    const chooser = await browser.follow(start, "/auth/spid/login");
    expect(chooser.status).toBe(200);
    const button = user === "cancel" ? { name: "cancel", value: "1" } : { name: "user", value: user };
    const response = await browser.submit(chooser, { button });
    expect(response.status).toBe(200);
    return response;
  }

  it("shows the SPID button with the development IdP on /", async () => {
    const page = await newBrowser().open("/");
    expect(page.status).toBe(200);
    expect(page.html).toContain("Entra con SPID");
    expect(page.html).toContain(`/auth/spid/login?idp=${encodeURIComponent(DEV_IDP)}&amp;level=2`);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("logs the demo secretary in, shows who and where, and opens the staff API to the session", async () => {
    const browser = newBrowser();
    const autoPost = await untilAutoPost(browser, "secretary");
    const home = await browser.submit(autoPost);
    expect(home.url).toBe(`${ORIGIN}/`);
    expect(home.html).toContain(`${secretary.name} ${secretary.familyName}`);
    expect(home.html).toContain(secretary.fiscalNumber);
    expect(home.html).toContain("c_demo");
    expect(home.html).toContain("Segretario");
    expect(home.html).toContain("livello 2");
    const cookie = [...browser.cookies.keys()];
    expect(cookie).toContain("faccia_session");
    expect(cookie).not.toContain("faccia_login");

    const api = await browser.request("/api/v1/entities/c_demo");
    expect(api.status).toBe(200);
    expect(((await api.json()) as { ipaCode: string }).ipaCode).toBe("c_demo");

    // The register (AgID log.rst) holds the pair; the audit log the login with the actor.
    const exchanges = await database.db.execute(
      sql`select outcome, fiscal_code, request_xml, response_xml from saml_exchange where fiscal_code = ${secretary.fiscalNumber}`,
    );
    const rows = (exchanges as unknown as { rows?: unknown[] }).rows ?? (exchanges as unknown as unknown[]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: "accepted" });
    expect(String((rows[0] as { response_xml: string }).response_xml)).toContain("Assertion");
    const events = await application.services.auditLog.page(0, 1000);
    expect(events.some((e) => e.action === "login" && e.actor === secretary.fiscalNumber)).toBe(true);
  });

  it("refuses a replayed Response with a 403 page and no session", async () => {
    const browser = newBrowser();
    const autoPost = await untilAutoPost(browser, "operator");
    const [form] = formsOf(autoPost.html);
    if (!form) throw new Error("no auto-post form");
    expect((await browser.submit(autoPost)).status).toBe(200);
    // The same Response again, from a browser with a fresh pending login.
    const attacker = newBrowser();
    await attacker.request(`/auth/spid/login?${new URLSearchParams({ idp: DEV_IDP, level: "2" })}`);
    const replay = await attacker.request(form.action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form.fields).toString(),
    });
    expect(replay.status).toBe(403);
    expect(await replay.text()).toContain("Accesso non riuscito");
    expect(attacker.cookies.has("faccia_session")).toBe(false);
    // Without any pending login (no cookie) it is refused too.
    const bare = await newBrowser().request(form.action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form.fields).toString(),
    });
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain("LOGIN_NO_PENDING_REQUEST");
  });

  it("does not fill the audit log or the register with anonymous posts to the ACS", async () => {
    const auditBefore = (await application.services.auditLog.page(0, 10_000)).length;
    const registerBefore = await countRows("saml_exchange");
    for (let i = 0; i < 3; i++) {
      const response = await newBrowser().request("/auth/spid/acs", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "SAMLResponse=PHg%2B&RelayState=x",
      });
      expect(response.status).toBe(403);
    }
    expect((await application.services.auditLog.page(0, 10_000)).length).toBe(auditBefore);
    expect(await countRows("saml_exchange")).toBe(registerBefore);
  });

  it("moves a browser that came by another name to the gateway's own origin before the login starts", async () => {
    const response = await application.app.request("http://localhost:8080/auth/spid/login?idp=x&level=2");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${ORIGIN}/auth/spid/login?idp=x&level=2`);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("ends the browser's previous session when it logs in again", async () => {
    const browser = newBrowser();
    await browser.submit(await untilAutoPost(browser, "admin"));
    const first = browser.cookies.get("faccia_session");
    await browser.submit(await untilAutoPost(browser, "secretary"));
    expect(browser.cookies.get("faccia_session")).not.toBe(first);
    const stale = await application.app.request("/api/v1/entities/c_demo", {
      headers: { cookie: `faccia_session=${first}` },
    });
    expect(stale.status).toBe(401);
  });

  it("refuses an expired Response (posted 10 minutes late)", async () => {
    const browser = newBrowser();
    const autoPost = await untilAutoPost(browser, "admin");
    clock.advance(10 * 60_000);
    try {
      const refused = await browser.submit(autoPost);
      expect(refused.status).toBe(403);
      expect(refused.html).toContain("SAML_EXPIRED");
      expect(browser.cookies.has("faccia_session")).toBe(false);
    } finally {
      clock.advance(-10 * 60_000);
    }
  });

  it("shows the SPID anomaly message when the user cancels at the IdP (ErrorCode nr25)", async () => {
    const browser = newBrowser();
    const autoPost = await untilAutoPost(browser, "cancel");
    const refused = await browser.submit(autoPost);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain("Accesso annullato");
    expect(refused.html).toContain("hai interrotto la procedura di accesso");
    const events = await application.services.auditLog.page(0, 1000);
    expect(events.some((e) => e.action === "login_refused")).toBe(true);
  });

  it("refuses a verified person with no role, with a page that says so", async () => {
    const { staffUsers } = application.services;
    const operator = DEV_IDP_USERS.find((user) => user.key === "operator");
    if (!operator) throw new Error("no operator");
    // Another comune's user: none of the development users is staff of c_other.
    await seedOrganization(database.db, "c_other");
    await staffUsers.add({ entityIpaCode: "c_other", fiscalCode: "RSSMRA80A01H501U", role: "admin", actor: "test" });
    const list = await staffUsers.list("c_other");
    expect(list.map((u) => u.fiscalCode)).not.toContain(operator.fiscalNumber);
  });

  it("logs out: ends the session, sends the LogoutRequest to the IdP and lands on the login page", async () => {
    const browser = newBrowser();
    const home = await browser.submit(await untilAutoPost(browser, "secretary"));
    const sessionCookie = browser.cookies.get("faccia_session");
    expect(sessionCookie).toBeDefined();
    // Without the CSRF token the logout form is refused.
    const forged = await browser.request("/auth/logout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(forged.status).toBe(403);
    // A refused logout changes nothing: no cookie is cleared and the session still works.
    expect(forged.headers.getSetCookie()).toEqual([]);
    expect((await browser.request("/api/v1/entities/c_demo")).status).toBe(200);

    const out = await browser.submit(home, { action: /\/auth\/logout$/ });
    expect(out.status).toBe(200);
    expect(out.html).toContain("Sei uscito");
    const exchanges = await database.db.execute(sql`select outcome from saml_exchange where kind = 'logout'`);
    const rows = (exchanges as unknown as { rows?: unknown[] }).rows ?? (exchanges as unknown as unknown[]);
    expect(rows).toContainEqual({ outcome: "accepted" });

    const stale = await application.app.request("/api/v1/entities/c_demo", {
      headers: { cookie: `faccia_session=${sessionCookie}` },
    });
    expect(stale.status).toBe(401);
  });

  it("serves signed SPID and CIE metadata from the operator's profile", async () => {
    for (const federation of ["spid", "cie"] as const) {
      const response = await application.app.request(`/auth/${federation}/metadata`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("application/samlmetadata+xml");
      const xml = await response.text();
      expect(xml).toContain(`entityID="${ORIGIN}"`);
      expect(xml).toContain(`${ORIGIN}/auth/${federation}/acs`);
      expect(xml).toContain("ds:Signature");
    }
  });
});

describe("staff login rate limit", () => {
  let database: TestDatabase;
  let application: Application;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "faccia-login-limit-"));
    database = await openTestDatabase("pglite");
    application = await testApplication(database, {
      env: { FACCIA_DEV_IDP: "1", FACCIA_LOGIN_RATE_LIMIT: "2", FACCIA_DATA_DIR: dir, ...(await spKeyFiles(dir)) },
    });
  });
  afterAll(async () => {
    await application?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers 429 with Retry-After once an address starts too many logins", async () => {
    const start = () => application.app.request(`${ORIGIN}/auth/spid/login?${new URLSearchParams({ idp: DEV_IDP })}`);
    expect((await start()).status).toBe(302);
    expect((await start()).status).toBe(302);
    const third = await start();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await third.text()).toContain("Troppi tentativi");
  });
});
