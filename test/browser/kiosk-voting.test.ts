import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot, skipBrowserTests } from "../support/browser.js";
import { type KioskGateway, startKioskGateway } from "../support/kiosk-gateway.js";
import { eventually, openKiosk } from "./kiosk-page.js";

describe.skipIf(skipBrowserTests)("kiosk web app: voting in Chromium", { timeout: 120_000 }, () => {
  let browser: Browser;
  let gateway: KioskGateway;

  beforeAll(async () => {
    [browser, gateway] = await Promise.all([launchChromium(), startKioskGateway()]);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it("pairs once, then stores every face and a negative vote's reason with the right service", async () => {
    const kiosk = await openKiosk(browser, gateway.url);
    const { page } = kiosk;
    await kiosk.waitForScreen("pairing");
    await screenshot(page, "01-pairing");
    await kiosk.pair(await gateway.pairingCode());
    await screenshot(page, "02-services");
    // Paired: the kiosk reports in at once with its version and an empty queue.
    const kioskId = await kiosk.kioskId();
    const version = await page.locator('meta[name="faccia-version"]').getAttribute("content");
    expect(
      await eventually(
        () => gateway.kioskStatus(kioskId),
        (s) => s.beatDays > 0,
      ),
    ).toEqual({
      appVersion: version,
      queueDepth: 0,
      beatDays: 1,
    });

    const vote = async (service: string, face: string, reason?: string) => {
      await page.getByRole("button", { name: service }).click();
      await kiosk.waitForScreen("faces");
      await page.getByRole("button", { name: face }).click();
      if (reason) {
        await kiosk.waitForScreen("reasons");
        await page.getByRole("button", { name: reason }).click();
      }
      await kiosk.waitForScreen("thanks");
      await kiosk.waitForScreen("services");
    };
    await vote("Anagrafe", "Positivo");
    await vote("Tributi", "Sufficiente");
    await vote("Anagrafe", "Negativo", "Tempo di attesa");
    await vote("Tributi", "Negativo", "Preferisco non indicarlo");

    const stored = await eventually(
      () => gateway.votes(),
      (rows) => rows.length >= 4,
    );
    const { anagrafe, tributi } = gateway.org.serviceIds;
    expect(
      stored.map(({ serviceId, judgment, reasonCode }) => ({ serviceId, judgment, reasonCode })).sort(byKey),
    ).toEqual(
      [
        { serviceId: anagrafe, judgment: "positive", reasonCode: null },
        { serviceId: tributi, judgment: "sufficient", reasonCode: null },
        { serviceId: anagrafe, judgment: "negative", reasonCode: "tempo-attesa" },
        { serviceId: tributi, judgment: "negative", reasonCode: null },
      ].sort(byKey),
    );
    expect(await kiosk.queueDepth()).toBe(0);

    // The token is kept on the device: a reload goes straight to voting.
    await page.reload();
    await kiosk.waitForScreen("services");
    await kiosk.close();
  });

  it("shows the screens a reviewer looks at", async () => {
    const kiosk = await openKiosk(browser, gateway.url);
    const { page } = kiosk;
    await kiosk.pair(await gateway.pairingCode());
    await page.getByRole("button", { name: "Anagrafe" }).click();
    await kiosk.waitForScreen("faces");
    await screenshot(page, "03-faces");
    await page.getByRole("button", { name: "Negativo" }).click();
    await kiosk.waitForScreen("reasons");
    await screenshot(page, "04-reasons");
    await page.getByRole("button", { name: "Cortesia e competenza del personale" }).click();
    await kiosk.waitForScreen("thanks");
    await screenshot(page, "05-thanks");
    await kiosk.waitForScreen("services");
    await page.getByRole("button", { name: "Alto contrasto" }).click();
    await page.getByRole("button", { name: "Testo grande" }).click();
    await screenshot(page, "06-services-high-contrast-large-text");
    await page.getByRole("button", { name: "Tributi" }).click();
    await screenshot(page, "07-faces-high-contrast-large-text");
    await kiosk.close();
  });

  it("votes with the keyboard alone: Tab to a button, Enter to press it", async () => {
    const kiosk = await openKiosk(browser, gateway.url);
    const { page } = kiosk;
    await kiosk.pair(await gateway.pairingCode());
    const before = (await gateway.votes()).length;

    const focused = () => page.evaluate(() => document.activeElement?.textContent?.replace(/\d$/, "").trim());
    const tabTo = async (label: string) => {
      for (let i = 0; i < 12 && (await focused()) !== label; i++) await page.keyboard.press("Tab");
      expect(await focused()).toBe(label);
    };
    await tabTo("Tributi");
    await page.keyboard.press("Enter");
    await kiosk.waitForScreen("faces");
    await tabTo("Sufficiente");
    await page.keyboard.press("Enter");
    await kiosk.waitForScreen("thanks");
    await kiosk.waitForScreen("services");

    const rows = await eventually(
      () => gateway.votes(),
      (r) => r.length > before,
    );
    expect(rows).toHaveLength(before + 1);
    expect(rows).toContainEqual(
      expect.objectContaining({ serviceId: gateway.org.serviceIds.tributi, judgment: "sufficient", reasonCode: null }),
    );
    await kiosk.close();
  });

  it("votes from a USB keypad: digits pick the service, the face (1-2-3) and the reason", async () => {
    const kiosk = await openKiosk(browser, gateway.url);
    const { page } = kiosk;
    await kiosk.pair(await gateway.pairingCode());
    const before = (await gateway.votes()).length;

    await page.keyboard.press("Numpad2"); // Tributi
    await kiosk.waitForScreen("faces");
    await page.keyboard.press("Numpad3"); // negative
    await kiosk.waitForScreen("reasons");
    await page.keyboard.press("Numpad2"); // the second reason: cortesia
    await kiosk.waitForScreen("thanks");
    await kiosk.waitForScreen("services");
    await page.keyboard.press("1"); // Anagrafe, from the main row
    await page.keyboard.press("1"); // positive
    await kiosk.waitForScreen("thanks");

    const rows = await eventually(
      () => gateway.votes(),
      (r) => r.length >= before + 2,
    );
    expect(rows).toHaveLength(before + 2);
    expect(rows).toContainEqual(
      expect.objectContaining({
        serviceId: gateway.org.serviceIds.tributi,
        judgment: "negative",
        reasonCode: "cortesia",
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ serviceId: gateway.org.serviceIds.anagrafe, judgment: "positive", reasonCode: null }),
    );
    await kiosk.close();
  });

  it("switches language on the start screen and returns to Italian after the vote", async () => {
    const kiosk = await openKiosk(browser, gateway.url);
    const { page } = kiosk;
    await kiosk.pair(await gateway.pairingCode());
    await page.getByRole("button", { name: "English" }).click();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await expect.poll(() => page.locator("h1").textContent()).toBe("Which service did you use?");
    // Service names come from the entity's configuration in each language.
    await page.getByRole("button", { name: "Registry office" }).click();
    await kiosk.waitForScreen("faces");
    expect(await page.locator("h1").textContent()).toBe("How would you rate the service “Registry office”?");
    await screenshot(page, "08-faces-english");
    await page.getByRole("button", { name: "Positive" }).click();
    await kiosk.waitForScreen("thanks");
    expect(await page.locator("h1").textContent()).toBe("Thank you! Your rating has been recorded.");
    await kiosk.waitForScreen("services");
    expect(await page.locator("html").getAttribute("lang")).toBe("it");
    expect(await page.locator("h1").textContent()).toBe("Quale servizio ha utilizzato?");

    for (const [language, heading] of [
      ["Deutsch", "Welchen Dienst haben Sie in Anspruch genommen?"],
      ["Français", "Quel service avez-vous utilisé ?"],
      ["Slovenščina", "Katero storitev ste uporabili?"],
    ] as const) {
      await page.getByRole("button", { name: language }).click();
      await expect.poll(() => page.locator("h1").textContent()).toBe(heading);
    }
    await kiosk.close();
  });
});

function byKey(a: object, b: object): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}
