import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOnce } from "../cli/build.js";
import { temporaryDirectory } from "../cli/helpers.js";
import { launchChromium, screenshot, skipBrowserTests } from "../support/browser.js";
import { exitOf, startBin } from "../support/faccia-process.js";
import { eventually, openKiosk } from "./kiosk-page.js";

/** Issue 3 "done when": the README's `npm start` gives a kiosk at /kiosk that is already paired. */
describe.skipIf(skipBrowserTests)("kiosk web app: the embedded demo", { timeout: 120_000 }, () => {
  const dataDir = temporaryDirectory("faccia-demo-kiosk-");
  let browser: Browser;
  beforeAll(async () => {
    buildOnce();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    dataDir.remove();
  });

  it("opens /kiosk already paired as the demo kiosk and delivers a vote", async () => {
    const gateway = await startBin({ FACCIA_DATA_DIR: dataDir.path, LOG_LEVEL: "warn" });
    try {
      expect(gateway.banner).toContain(`Kiosk app      ${gateway.url}/kiosk`);
      const kiosk = await openKiosk(browser, gateway.url);
      await kiosk.waitForScreen("services");
      expect(await kiosk.page.locator(".entity").textContent()).toBe("Comune di Demo · Sede municipale");
      await screenshot(kiosk.page, "00-demo-start");
      await kiosk.page.getByRole("button", { name: "Anagrafe" }).click();
      await kiosk.page.getByRole("button", { name: "Positivo" }).click();
      await kiosk.waitForScreen("thanks");
      expect(
        await eventually(
          () => kiosk.queueDepth(),
          (n) => n === 0,
        ),
      ).toBe(0);
      expect(await kiosk.page.evaluate(() => localStorage.length)).toBe(0);
      await kiosk.close();
    } finally {
      const stopped = exitOf(gateway.child);
      gateway.child.kill("SIGTERM");
      expect(await stopped).toBe(0);
    }
  });
});
