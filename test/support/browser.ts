import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { type Browser, chromium, type Page } from "playwright-core";

/**
 * Debian's Chromium driven by playwright-core: never a downloaded browser.
 * Without it a developer's run skips the browser tests with a message; with
 * CI=true they fail instead (a missing tool must not pass as green).
 */
export const CHROMIUM_PATH = process.env.FACCIA_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const chromiumAvailable = existsSync(CHROMIUM_PATH);

/** `describe.skipIf(skipBrowserTests)`: true only on a developer machine without Chromium. */
export const skipBrowserTests = !chromiumAvailable && !process.env.CI;
if (skipBrowserTests) {
  process.emitWarning(`browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
}

export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: CI must install Debian's chromium package`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}

export const SCREENSHOT_DIR = join("test-results", "kiosk");

/** Saves a screenshot for reviewers under test-results/kiosk/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Serious and critical WCAG 2.1 AA (and best-practice) violations on the page, as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}
