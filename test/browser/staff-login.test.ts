import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOnce } from "../cli/build.js";
import { temporaryDirectory } from "../cli/helpers.js";
import { launchChromium, seriousViolations, skipBrowserTests } from "../support/browser.js";
import { exitOf, type FacciaProcess, startBin } from "../support/faccia-process.js";

/**
 * Issue 7 "done when": a new user runs `npm start`, opens `/` (the login page with the SPID
 * button), and logs in as the demo secretary through the development IdP; the signed-in page shows
 * who, where and which roles, and "Esci" logs out. One real `faccia start` (embedded PGlite, demo
 * on, a free port, a temporary data directory) and Debian's Chromium, clicking as a person would.
 */

const SECRETARY = { name: "Marco Verdi", fiscalCode: "VRDMRC75C15F205Q" };
const SCREENSHOT_DIR = join("test-results", "staff");

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * Every console error and uncaught page error, CSP refusals ("Refused to …") among them. Chromium's
 * own request for /favicon.ico (the pages name no icon) answers 404 and is left out.
 */
function consoleErrorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    const source = message.location().url;
    if (source.endsWith("/favicon.ico")) return;
    if (message.type() === "error" || /Content Security Policy|Refused to/i.test(message.text())) {
      errors.push(`${message.type()} at ${page.url()} (${source}): ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => errors.push(`pageerror at ${page.url()}: ${error.message}`));
  return errors;
}

const cspViolations = (errors: readonly string[]) =>
  errors.filter((line) => /Content Security Policy|Refused to/i.test(line));

describe.skipIf(skipBrowserTests)("staff login in the browser: the embedded demo", { timeout: 120_000 }, () => {
  const dataDir = temporaryDirectory("faccia-staff-login-");
  let browser: Browser;
  let gateway: { child: FacciaProcess; url: string; banner: string };

  beforeAll(async () => {
    buildOnce();
    [browser, gateway] = await Promise.all([
      launchChromium(),
      startBin({ FACCIA_DATA_DIR: dataDir.path, LOG_LEVEL: "warn" }),
    ]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (gateway) {
      const stopped = exitOf(gateway.child);
      gateway.child.kill("SIGTERM");
      expect(await stopped).toBe(0);
    }
    dataDir.remove();
  });

  it("shows the login page: the SPID button lists the development IdP, accessible, no CSP refusals", async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    const errors = consoleErrorsOf(page);
    const response = await page.goto(`${gateway.url}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Accedi all'area riservata");

    const spidButton = page.getByRole("button", { name: "Entra con SPID" });
    const idpList = page.getByRole("list", { name: "Gestori di identità SPID" });
    expect(await idpList.isVisible()).toBe(false);
    await spidButton.click();
    await idpList.waitFor({ state: "visible" });
    const devEntry = idpList.getByRole("link", { name: "IdP di sviluppo" });
    expect(await devEntry.getAttribute("href")).toMatch(/^\/auth\/spid\/login\?idp=.+%2Fdev-idp&level=2$/);
    expect(await page.getByRole("link", { name: "Entra con l'IdP di sviluppo" }).count()).toBe(1);
    // The stylesheet loaded (the CSP allows 'self' styles): the header is the UI kit's blue.
    expect(await page.locator("header").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      "rgb(0, 102, 204)",
    );

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "01-login-page");
    expect(cspViolations(errors)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  describe("the demo secretary's session", () => {
    let context: BrowserContext;
    let page: Page;
    let errors: string[];
    let sessionToken = "";

    beforeAll(async () => {
      context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
      page = await context.newPage();
      errors = consoleErrorsOf(page);
    });
    afterAll(async () => {
      await context?.close();
    });

    it("logs in by clicking through the development IdP and lands on / with name, fiscal code, comune and role", async () => {
      const acs: { status: number; location: string | undefined }[] = [];
      let autoPostCsp = "";
      page.on("response", (response) => {
        const path = new URL(response.url()).pathname;
        if (path === "/auth/spid/acs") acs.push({ status: response.status(), location: response.headers().location });
        if (path === "/dev-idp/sso/continue") autoPostCsp = response.headers()["content-security-policy"] ?? "";
      });
      await page.goto(`${gateway.url}/`);
      await page.getByRole("button", { name: "Entra con SPID" }).click();
      await page
        .getByRole("list", { name: "Gestori di identità SPID" })
        .getByRole("link", { name: "IdP di sviluppo" })
        .click();

      await page.waitForURL(/\/dev-idp\/sso/);
      await expect
        .poll(() => page.getByRole("heading", { level: 1 }).textContent())
        .toBe("IdP di sviluppo — scegli un utente di prova");
      await page.getByRole("button", { name: new RegExp(SECRETARY.name) }).click();

      // The auto-POST page submits itself: only its hashed script can do that, so reaching / proves the CSP allows it.
      await page.waitForURL(`${gateway.url}/`, { timeout: 15_000 }).catch(() => {
        throw new Error(`stuck at ${page.url()} (console: ${errors.join(" | ") || "nothing"})`);
      });
      expect(autoPostCsp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+={0,2}'/);
      expect(acs).toEqual([{ status: 303, location: "/" }]);

      const card = page.locator("main");
      await expect
        .poll(() => page.getByRole("heading", { level: 1 }).textContent())
        .toBe(`Benvenuto, ${SECRETARY.name}`);
      const text = ((await card.textContent()) ?? "").replace(/\s+/g, " ");
      expect(text).toContain(SECRETARY.fiscalCode);
      expect(text).toContain("accesso con SPID di livello 2");
      const row = page.getByRole("row", { name: /c_demo/ });
      expect(await row.getByRole("cell").allTextContents()).toEqual(["Comune di Demo", "c_demo", "Segretario"]);
      expect(await page.getByRole("button", { name: "Esci" }).count()).toBe(1);
      await screenshot(page, "02-signed-in");

      const cookies = await context.cookies(gateway.url);
      const session = cookies.find((cookie) => cookie.name === "faccia_session");
      expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: false });
      sessionToken = session?.value ?? "";
      expect(sessionToken).not.toBe("");
      // HttpOnly: the page's own script cannot read it.
      expect(await page.evaluate(() => document.cookie)).not.toContain("faccia_session");
      // The pending-login cookie was spent at the ACS.
      expect(cookies.map((cookie) => cookie.name)).not.toContain("faccia_login");
      expect(cspViolations(errors)).toEqual([]);
    });

    it("passes axe on the signed-in page", async () => {
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Benvenuto, ${SECRETARY.name}`);
      expect(await seriousViolations(page)).toEqual([]);
    });

    it("calls the staff API from the browser with the session; a write without the CSRF token is refused", async () => {
      // The signed-in page's CSP (default-src 'none') forbids connections from it, so the calls are
      // made from a document of the same origin without a CSP: the browser attaches the cookie alike.
      await page.goto(`${gateway.url}/healthz`);
      const results = await page.evaluate(async () => {
        const read = await fetch("/api/v1/entities/c_demo");
        const write = await fetch("/api/v1/entities", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ipaCode: "c_nope", name: "Comune di Prova" }),
        });
        return {
          read: { status: read.status, body: (await read.json()) as { ipaCode?: string; name?: string } },
          write: { status: write.status, body: (await write.json()) as { code?: string } },
        };
      });
      expect(results.read).toMatchObject({ status: 200, body: { ipaCode: "c_demo", name: "Comune di Demo" } });
      expect(results.write).toMatchObject({ status: 403, body: { code: "AUTH_CSRF_FAILED" } });

      // With the session's token (the logout form's hidden field) the same write passes the CSRF
      // check and meets the role check instead: a secretary cannot create comuni.
      await page.goto(`${gateway.url}/`);
      const csrf = (await page.locator('input[name="csrf"]').getAttribute("value")) ?? "";
      expect(csrf).not.toBe("");
      await page.goto(`${gateway.url}/healthz`);
      const withToken = await page.evaluate(async (token) => {
        const write = await fetch("/api/v1/entities", {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrf-token": token },
          body: JSON.stringify({ ipaCode: "c_nope", name: "Comune di Prova" }),
        });
        return { status: write.status, body: (await write.json()) as { code?: string } };
      }, csrf);
      expect(withToken).toMatchObject({ status: 403, body: { code: "AUTH_FORBIDDEN" } });
      await page.goto(`${gateway.url}/`);
    });

    it("logs out with Esci: back on the login page, the API answers 401, the old cookie is dead", async () => {
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Benvenuto, ${SECRETARY.name}`);
      const hops: string[] = [];
      const record = (response: Response) => {
        if (response.request().isNavigationRequest())
          hops.push(`${response.status()} ${new URL(response.url()).pathname}`);
      };
      page.on("response", record);
      await page.getByRole("button", { name: "Esci" }).click();
      await page.waitForURL(/\/\?uscita$/, { timeout: 15_000 });
      page.off("response", record);
      // Single Logout through the IdP (SAML Profiles §4.4, HTTP-Redirect both ways), then the login page.
      expect(hops).toEqual(["303 /auth/logout", "302 /dev-idp/slo", "303 /auth/spid/slo", "200 /"]);
      await expect.poll(() => page.getByRole("status").textContent()).toContain("Sei uscito");
      expect(await page.getByRole("button", { name: "Entra con SPID" }).count()).toBe(1);
      await screenshot(page, "03-logged-out");

      const cookies = await context.cookies(gateway.url);
      expect(cookies.map((cookie) => cookie.name)).not.toContain("faccia_session");
      await page.goto(`${gateway.url}/healthz`);
      const status = await page.evaluate(async () => (await fetch("/api/v1/entities/c_demo")).status);
      expect(status).toBe(401);
      // The session ended on the server too: its token, replayed, is refused.
      const replay = await fetch(`${gateway.url}/api/v1/entities/c_demo`, {
        headers: { cookie: `faccia_session=${sessionToken}` },
      });
      expect(replay.status).toBe(401);
      expect(((await replay.json()) as { code?: string }).code).toBe("AUTH_SESSION_EXPIRED");
      expect(cspViolations(errors)).toEqual([]);
    });
  });

  it("cancelling at the development IdP answers 403 'Accesso annullato' with the nr25 message", async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    const errors = consoleErrorsOf(page);
    await page.goto(`${gateway.url}/`);
    await page.getByRole("link", { name: "Entra con l'IdP di sviluppo" }).click();
    await page.waitForURL(/\/dev-idp\/sso/);

    const acs = page.waitForResponse((response) => new URL(response.url()).pathname === "/auth/spid/acs");
    await page.getByRole("button", { name: "Annulla" }).click();
    const response = await acs;
    expect(response.status()).toBe(403);
    await page.waitForLoadState();
    const alert = page.getByRole("alert");
    expect(await alert.getByRole("heading", { level: 1 }).textContent()).toBe("Accesso annullato");
    const text = ((await alert.textContent()) ?? "").replace(/\s+/g, " ");
    expect(text).toContain("Autenticazione annullata: hai interrotto la procedura di accesso.");
    expect(text).toContain("ErrorCode nr25");
    expect((await context.cookies(gateway.url)).map((cookie) => cookie.name)).not.toContain("faccia_session");
    await screenshot(page, "04-cancelled");
    expect(cspViolations(errors)).toEqual([]);
    await context.close();
  });
});
