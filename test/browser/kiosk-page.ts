import type { Browser, BrowserContext, Page } from "playwright-core";

/** Drives the kiosk web app the way a citizen (or a technician pairing it) does. */
export interface KioskPage {
  context: BrowserContext;
  page: Page;
  screen(): Promise<string | undefined>;
  waitForScreen(name: string): Promise<void>;
  pair(code: string): Promise<void>;
  /** Votes queued in IndexedDB, not yet acknowledged by the gateway. */
  queueDepth(): Promise<number>;
  /** The id of the kiosk this browser is paired as (from the stored profile). */
  kioskId(): Promise<string>;
  close(): Promise<void>;
}

export async function openKiosk(browser: Browser, baseUrl: string, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: "it-IT" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${baseUrl}/kiosk`);
  const kiosk: KioskPage = {
    context,
    page,
    screen: () =>
      page
        .locator("#screen")
        .getAttribute("data-screen")
        .then((v) => v ?? undefined),
    async waitForScreen(name) {
      await page.locator(`#screen[data-screen="${name}"]`).waitFor({ timeout: 30_000 });
    },
    async pair(code) {
      await kiosk.waitForScreen("pairing");
      await page.getByLabel("Codice di abbinamento").fill(code);
      await page.getByRole("button", { name: "Abbina" }).click();
      await page.locator('#screen[data-screen="services"], #screen[data-screen="faces"]').waitFor();
    },
    queueDepth: () => readStore<number>(page, "votes", "count"),
    kioskId: async () => (await readStore<{ id: string }>(page, "meta", "profile")).id,
    async close() {
      await context.close();
      if (errors.length > 0) throw new Error(`the kiosk page threw: ${errors.join("; ")}`);
    },
  };
  return kiosk;
}

/** Polls until `read` returns something `done` accepts (the sync loop runs on its own timers). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Reads the kiosk's IndexedDB from inside the page: a count of a store, or one value by key. */
function readStore<T>(page: Page, store: string, key: string): Promise<T> {
  return page.evaluate(
    ([storeName, keyName]) =>
      new Promise<T>((resolve, reject) => {
        const open = indexedDB.open("faccia-kiosk");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const objects = open.result.transaction(storeName).objectStore(storeName);
          const request = keyName === "count" ? objects.count() : objects.get(keyName);
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as T);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    [store, key] as const,
  );
}
