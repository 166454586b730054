import type { KioskProfile } from "../domain/profile.js";
import type { QueuedVote, VoteRefusal } from "./storage.js";

/**
 * The kiosk API (`/api/kiosk/v1`) as the browser sees it. Every call ends in
 * one of four outcomes, so the sync loop never has to read HTTP statuses.
 */
export type ApiOutcome<T> =
  | { kind: "ok"; value: T }
  /** The token is unknown or revoked: the kiosk must be paired again. */
  | { kind: "unauthorized" }
  /** Worth retrying later: no network, a timeout, 429, 5xx. */
  | { kind: "retry"; reason: string; afterMs?: number }
  /** The gateway refused this request for good (400, 404, 413…): retrying the same body will not help. */
  | { kind: "refused"; status: number; code: string; detail: string };

export interface VoteResult {
  accepted: string[];
  duplicates: string[];
  rejected: Array<{ id: string | null; code: string; detail: string }>;
}

export interface Heartbeat {
  appVersion: string;
  queueDepth: number;
  lastSyncAt: string | null;
}

export interface KioskClient {
  pair(code: string): Promise<ApiOutcome<{ token: string; kiosk: KioskProfile }>>;
  config(token: string): Promise<ApiOutcome<KioskProfile>>;
  sendVotes(token: string, votes: readonly QueuedVote[], sentAt: string): Promise<ApiOutcome<VoteResult>>;
  heartbeat(token: string, beat: Heartbeat): Promise<ApiOutcome<unknown>>;
  /** The demo kiosk's token, offered by a gateway running the demo to browsers on the same machine. */
  demoToken(): Promise<string | null>;
}

export const KIOSK_API_BASE = "/api/kiosk/v1";
const TIMEOUT_MS = 15_000;

export function createKioskClient(fetchImpl: typeof fetch = (...args) => fetch(...args)): KioskClient {
  async function call<T>(path: string, init: { method: string; token?: string; body?: unknown }) {
    const headers: Record<string, string> = { accept: "application/json" };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetchImpl(`${KIOSK_API_BASE}${path}`, {
        method: init.method,
        headers,
        body: init.body === undefined ? null : JSON.stringify(init.body),
        signal: controller.signal,
        cache: "no-store",
      });
    } catch (error) {
      return { kind: "retry", reason: error instanceof Error ? error.message : "network error" } as const;
    } finally {
      clearTimeout(timer);
    }
    return outcomeOf<T>(response);
  }

  return {
    pair: (code) => call("/pair", { method: "POST", body: { code } }),
    config: (token) => call("/config", { method: "GET", token }),
    sendVotes: (token, votes, sentAt) => call("/votes", { method: "POST", token, body: { sentAt, votes } }),
    heartbeat: (token, beat) => call("/heartbeat", { method: "POST", token, body: beat }),
    async demoToken() {
      try {
        const response = await fetchImpl("/kiosk/demo-token", { cache: "no-store" });
        if (!response.ok) return null;
        const body = (await response.json()) as { token?: unknown };
        return typeof body.token === "string" ? body.token : null;
      } catch {
        return null;
      }
    },
  };
}

async function outcomeOf<T>(response: Response): Promise<ApiOutcome<T>> {
  if (response.ok) {
    try {
      return { kind: "ok", value: (await response.json()) as T };
    } catch {
      // A proxy's HTML page with a 200: the request may not have reached us.
      return { kind: "retry", reason: "unreadable response" };
    }
  }
  const problem = await readProblem(response);
  if (response.status === 401) return { kind: "unauthorized" };
  if (response.status === 429 || response.status === 408 || response.status >= 500) {
    const seconds = Number(response.headers.get("retry-after"));
    return {
      kind: "retry",
      reason: `${response.status} ${problem.code}`,
      ...(Number.isFinite(seconds) && seconds > 0 ? { afterMs: seconds * 1000 } : {}),
    };
  }
  return { kind: "refused", status: response.status, ...problem };
}

async function readProblem(response: Response): Promise<{ code: string; detail: string }> {
  try {
    const body = (await response.json()) as { code?: unknown; detail?: unknown };
    return {
      code: typeof body.code === "string" ? body.code : `HTTP_${response.status}`,
      detail: typeof body.detail === "string" ? body.detail : response.statusText,
    };
  } catch {
    return { code: `HTTP_${response.status}`, detail: response.statusText };
  }
}

/** Refusals of single votes, for the storage to set aside (a refusal without an id names no queued vote). */
export function refusalsOf(result: VoteResult): VoteRefusal[] {
  return result.rejected.flatMap((r) => (r.id === null ? [] : [{ id: r.id, code: r.code, detail: r.detail }]));
}
