import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildKioskApp } from "../../scripts/build-kiosk.mjs";
import { launchChromium, skipBrowserTests } from "../support/browser.js";
import { type KioskGateway, startKioskGateway } from "../support/kiosk-gateway.js";
import { eventually, openKiosk } from "./kiosk-page.js";

const NEXT_VERSION_DIR = resolve("node_modules", ".cache", "faccia-kiosk-test-next");

const versionOf = (page: Page) =>
  page
    .locator('meta[name="faccia-version"]')
    .getAttribute("content")
    .catch(() => null);

/** Issue 3 §3: the service worker "picks up a new version when online", without losing queued votes. */
describe.skipIf(skipBrowserTests)("kiosk web app: new versions", { timeout: 120_000 }, () => {
  let browser: Browser;
  let gateway: KioskGateway;
  let next: string;

  beforeAll(async () => {
    [browser, gateway, { version: next }] = await Promise.all([
      launchChromium(),
      startKioskGateway({ thankYouSeconds: 1 }),
      buildKioskApp({ outDir: NEXT_VERSION_DIR, versionTag: "next", force: true }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it("switches to a new deploy while idle on the start screen, and keeps votes queued offline", async () => {
    const kiosk = await openKiosk(browser, gateway.url);
    const { page } = kiosk;
    await kiosk.pair(await gateway.pairingCode());
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const first = await versionOf(page);
    expect(first).not.toBe(next);
    const kioskId = await kiosk.kioskId();

    // Two votes while the gateway is away, then the new version is deployed.
    await kiosk.context.setOffline(true);
    for (const key of ["1", "2"]) {
      await page.keyboard.press("1");
      await page.keyboard.press(key);
      await kiosk.waitForScreen("thanks");
      await kiosk.waitForScreen("services");
    }
    await gateway.redeploy(NEXT_VERSION_DIR);
    await kiosk.context.setOffline(false);

    // The app checks for updates every few minutes; here we ask at once, as a reload would.
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration("/kiosk");
      await registration?.update();
    });
    expect(
      await eventually(
        () => versionOf(page),
        (v) => v === next,
      ),
    ).toBe(next);
    await kiosk.waitForScreen("services");
    expect(
      await eventually(
        () => gateway.votesOf(kioskId),
        (ids) => ids.length >= 2,
      ),
    ).toHaveLength(2);
    // The old version's cache is gone; the new one serves the shell offline.
    const caches = await page.evaluate(() => globalThis.caches.keys());
    expect(caches).toEqual([`faccia-kiosk-${next}`]);
    await kiosk.context.setOffline(true);
    await page.reload();
    await kiosk.waitForScreen("services");
    expect(await versionOf(page)).toBe(next);
    await kiosk.close();
  });
});
