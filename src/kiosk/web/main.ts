import type { KioskProfile } from "../domain/profile.js";
import { createKioskApp, type KioskApp } from "./kiosk-app.js";
import { createKioskClient } from "./kiosk-client.js";
import { createSpeaker } from "./speech.js";
import { openKioskStorage } from "./storage.js";
import { createSyncLoop } from "./sync-loop.js";
import { newVoteId } from "./uuid.js";

/**
 * Boot: open the local store, start voting at once with the stored profile
 * (so a kiosk with no network still works), then keep in touch with the
 * gateway: send votes, refresh the profile, beat the heart, update the app.
 */

/** Set by the build (scripts/build-kiosk.mjs): package version and content hash. */
declare const __APP_VERSION__: string;

const PROFILE_REFRESH_MS = 5 * 60_000;
/** Votes are sent right after they are cast; this only catches anything a missed event left behind. */
const SYNC_SAFETY_MS = 30_000;
const PROFILE_RETRY_MS = 5_000;

async function boot(root: HTMLElement) {
  // A new version reloads the page at once if nobody is voting, otherwise at the next return to start.
  let shown: KioskApp | null = null;
  const reloadPending = watchServiceWorker(() => {
    if (shown?.isIdleAtStart()) location.reload();
  });
  const storage = await openKioskStorage();
  const client = createKioskClient();
  let token = (await storage.get("token")) ?? null;
  let background = false;

  const app = createKioskApp({
    root,
    speaker: createSpeaker(),
    enqueue: (vote) => storage.enqueue(vote),
    newVoteId,
    now: () => new Date(),
    onVoteQueued: () => sync.kick(),
    onIdleAtStart: () => {
      if (reloadPending()) location.reload();
    },
    async pair(code) {
      const outcome = await client.pair(code);
      if (outcome.kind === "ok") {
        await adopt(outcome.value.token, outcome.value.kiosk);
        return "paired";
      }
      if (outcome.kind === "refused") return "invalid";
      return navigator.onLine ? "failed" : "offline";
    },
  });

  shown = app;

  const sync = createSyncLoop({
    storage,
    client,
    token: () => token,
    now: () => new Date(),
    random: Math.random,
    setTimer: (run, ms) => {
      const id = window.setTimeout(run, ms);
      return () => window.clearTimeout(id);
    },
    // Two tabs of one kiosk must not send the same votes at once (harmless, but wasteful).
    ...(navigator.locks
      ? { exclusive: <T>(work: () => Promise<T>) => navigator.locks.request("faccia-kiosk-sync", work) as Promise<T> }
      : {}),
    onUnauthorized: unpair,
    onStatus: (status) => app.showSyncStatus(status),
    lastSyncAt: (await storage.get("lastSyncAt")) ?? null,
  });

  async function adopt(newToken: string, profile: KioskProfile) {
    await storage.put("token", newToken);
    await storage.put("profile", profile);
    token = newToken;
    app.showVoting(profile);
    void startBackground();
    sync.retryNow();
  }

  function unpair() {
    token = null;
    void storage.remove("token");
    app.showPairing("revoked");
  }

  async function refreshProfile(): Promise<boolean> {
    if (!token) return false;
    const outcome = await client.config(token);
    if (outcome.kind === "unauthorized") unpair();
    if (outcome.kind !== "ok") return false;
    await storage.put("profile", outcome.value);
    app.updateProfile(outcome.value);
    return true;
  }

  async function heartbeat() {
    if (!token) return;
    const outcome = await client.heartbeat(token, {
      appVersion: __APP_VERSION__,
      queueDepth: await storage.depth(),
      lastSyncAt: sync.status().lastSyncAt,
    });
    if (outcome.kind === "unauthorized") unpair();
  }

  async function startBackground() {
    if (background) return;
    background = true;
    void heartbeat();
    const stored = await storage.get("profile");
    window.setInterval(() => void heartbeat(), (stored?.settings.heartbeatSeconds ?? 60) * 1000);
    window.setInterval(() => {
      void refreshProfile();
      void navigator.serviceWorker?.getRegistration("/kiosk").then((r) => r?.update().catch(() => undefined));
      if (reloadPending() && app.isIdleAtStart()) location.reload();
    }, PROFILE_REFRESH_MS);
    window.setInterval(() => sync.kick(), SYNC_SAFETY_MS);
    window.addEventListener("online", () => sync.retryNow());
  }

  const stored = await storage.get("profile");
  if (token && stored) {
    app.showVoting(stored);
    void startBackground();
    sync.kick();
    void refreshProfile();
    return;
  }
  if (!token) token = await client.demoToken();
  if (!token) {
    app.showPairing();
    return;
  }
  app.showLoading();
  while (token && !(await refreshProfile())) await new Promise((r) => window.setTimeout(r, PROFILE_RETRY_MS));
  if (!token) return;
  await adopt(token, (await storage.get("profile")) as KioskProfile);
}

/**
 * Registers the service worker that keeps the app shell offline (scope
 * `/kiosk`, allowed by the gateway's `Service-Worker-Allowed` header). A new
 * version takes over in the background; the page reloads into it the next
 * time the kiosk sits idle on its start screen, never in the middle of a vote.
 */
function watchServiceWorker(onNewVersion: () => void): () => boolean {
  if (!("serviceWorker" in navigator)) return () => false;
  // The first install also changes the controller: only a replacement is a new version.
  let controlled = navigator.serviceWorker.controller !== null;
  let pending = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (controlled) {
      pending = true;
      onNewVersion();
    }
    controlled = true;
  });
  void navigator.serviceWorker
    .register("/kiosk/sw.js", { scope: "/kiosk", updateViaCache: "none" })
    .catch(() => undefined);
  return () => pending;
}

const root = document.getElementById("kiosk");
if (root) void boot(root);
