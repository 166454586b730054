import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot, skipBrowserTests } from "../support/browser.js";
import { type KioskGateway, startKioskGateway } from "../support/kiosk-gateway.js";
import { eventually, type KioskPage, openKiosk } from "./kiosk-page.js";

/**
 * Issue 3 §3, "no vote lost": votes go to IndexedDB before the thank-you,
 * survive reloads with the network down, and reach the gateway exactly once.
 */
describe.skipIf(skipBrowserTests)("kiosk web app: offline and failures", { timeout: 120_000 }, () => {
  let browser: Browser;
  let gateway: KioskGateway;

  beforeAll(async () => {
    // No pause on the thank-you screen: these tests cast many votes and count them.
    [browser, gateway] = await Promise.all([launchChromium(), startKioskGateway({ thankYouSeconds: 0 })]);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  async function castWithKeypad(kiosk: KioskPage, count: number) {
    for (let i = 0; i < count; i++) {
      await kiosk.waitForScreen("services");
      await kiosk.page.keyboard.press(String((i % 2) + 1)); // Anagrafe, Tributi, …
      await kiosk.waitForScreen("faces");
      await kiosk.page.keyboard.press(String((i % 3) + 1));
      if (i % 3 === 2) {
        await kiosk.waitForScreen("reasons");
        await kiosk.page.keyboard.press("1");
      }
    }
    await kiosk.waitForScreen("services");
  }

  async function pairedKiosk(): Promise<KioskPage> {
    const kiosk = await openKiosk(browser, gateway.url);
    await kiosk.pair(await gateway.pairingCode());
    // The service worker must hold the app shell before the network goes away.
    await kiosk.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    return kiosk;
  }

  const kioskVotes = async (kioskId: string) => (await gateway.votesOf(kioskId)).length;

  it("keeps 50 votes cast offline through two reloads and stores each exactly once when back online", async () => {
    const kiosk = await pairedKiosk();
    const kioskId = await kiosk.kioskId();
    await kiosk.context.setOffline(true);
    await castWithKeypad(kiosk, 25);
    await kiosk.page.reload();
    await kiosk.waitForScreen("services");
    await castWithKeypad(kiosk, 25);
    await kiosk.page.reload();
    await kiosk.waitForScreen("services");
    await screenshot(kiosk.page, "09-offline-with-queue");
    expect(await kiosk.queueDepth()).toBe(50);
    expect(await kioskVotes(kioskId)).toBe(0);

    await kiosk.context.setOffline(false);
    expect(
      await eventually(
        () => kioskVotes(kioskId),
        (n) => n >= 50,
      ),
    ).toBe(50);
    expect(
      await eventually(
        () => kiosk.queueDepth(),
        (n) => n === 0,
      ),
    ).toBe(0);
    // Nothing more arrives later: no vote was sent twice into a second row.
    await kiosk.page.waitForTimeout(1000);
    expect(await kioskVotes(kioskId)).toBe(50);
    await kiosk.close();
  });

  it("retries while the gateway answers 500 and delivers every vote once when it recovers", async () => {
    const kiosk = await pairedKiosk();
    const kioskId = await kiosk.kioskId();
    let failures = 0;
    await kiosk.context.route("**/api/kiosk/v1/votes", async (route) => {
      if (failures < 3) {
        failures += 1;
        await route.fulfill({
          status: 500,
          contentType: "application/problem+json",
          body: JSON.stringify({ status: 500, code: "INTERNAL_ERROR", detail: "simulated outage" }),
        });
        return;
      }
      await route.continue();
    });
    await castWithKeypad(kiosk, 6);
    expect(
      await eventually(
        () => kioskVotes(kioskId),
        (n) => n >= 6,
        30_000,
      ),
    ).toBe(6);
    expect(failures).toBe(3);
    expect(
      await eventually(
        () => kiosk.queueDepth(),
        (n) => n === 0,
      ),
    ).toBe(0);
    await kiosk.close();
  });

  it("resends after the gateway stored a batch but the answer was lost, without a second copy", async () => {
    const kiosk = await pairedKiosk();
    const kioskId = await kiosk.kioskId();
    let dropped = 0;
    await kiosk.context.route("**/api/kiosk/v1/votes", async (route) => {
      // The request reaches the gateway and commits; the kiosk never hears back.
      const response = await route.fetch();
      if (dropped === 0 && response.ok()) {
        dropped += 1;
        await route.abort("connectionreset");
        return;
      }
      await route.fulfill({ response });
    });
    await castWithKeypad(kiosk, 3);
    expect(
      await eventually(
        () => kiosk.queueDepth(),
        (n) => n === 0,
        30_000,
      ),
    ).toBe(0);
    expect(dropped).toBe(1);
    expect(await kioskVotes(kioskId)).toBe(3);
    await kiosk.close();
  });

  it("shows the pairing screen once revoked, keeps the queued vote, and delivers it after pairing again", async () => {
    const kiosk = await pairedKiosk();
    const kioskId = await kiosk.kioskId();
    await gateway.application.services.kiosks.revoke(gateway.org.entityId, kioskId);
    // One vote: its sync meets the revoked token, and the kiosk turns to its pairing screen.
    await kiosk.page.keyboard.press("1");
    await kiosk.waitForScreen("faces");
    await kiosk.page.keyboard.press("1");
    await kiosk.waitForScreen("pairing");
    expect(await kiosk.page.locator(".error").textContent()).toBe(
      "Questo totem non è più abbinato. Chieda un nuovo codice all'amministratore.",
    );
    expect(await kiosk.queueDepth()).toBe(1);
    expect(await kioskVotes(kioskId)).toBe(0);

    const { code } = await gateway.application.services.kiosks.pairingCode(gateway.org.entityId, kioskId);
    await kiosk.pair(code);
    expect(
      await eventually(
        () => kioskVotes(kioskId),
        (n) => n >= 1,
      ),
    ).toBe(1);
    expect(
      await eventually(
        () => kiosk.queueDepth(),
        (n) => n === 0,
      ),
    ).toBe(0);
    await kiosk.close();
  });
});
