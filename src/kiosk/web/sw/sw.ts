/// <reference lib="webworker" />

/**
 * The kiosk's service worker (issue 3 §3): keeps the app shell in the Cache
 * Storage so the kiosk starts and votes with the network down. The build
 * writes the list of files and the version into this file, so any change to
 * the app changes these bytes and the browser installs the new version.
 * API calls are never cached: votes live in IndexedDB, not here.
 */

declare const self: ServiceWorkerGlobalScope;
declare const __APP_VERSION__: string;
declare const __PRECACHE__: string[];

const PREFIX = "faccia-kiosk-";
const CACHE = `${PREFIX}${__APP_VERSION__}`;
const SHELL = "/kiosk/";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload` skips the HTTP cache: the new version's files, not yesterday's.
      await cache.addAll(__PRECACHE__.map((url) => new Request(url, { cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith("/kiosk")) return;
  if (url.pathname === "/kiosk/demo-token") return;
  const key = request.mode === "navigate" ? SHELL : url.pathname;
  event.respondWith(
    (async () => {
      const cached = await caches.match(key, { cacheName: CACHE });
      return cached ?? fetch(request);
    })(),
  );
});
