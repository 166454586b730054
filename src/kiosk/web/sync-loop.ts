import { type BackoffPolicy, retryDelay } from "./backoff.js";
import { type KioskClient, refusalsOf } from "./kiosk-client.js";
import type { KioskStorage, QueuedVote } from "./storage.js";

/**
 * Sends queued votes to the gateway (issue 3 §3). A vote leaves the queue only
 * when the gateway acknowledged it (accepted or duplicate) or refused it for
 * good, in which case it is set aside with its code. Everything else (no
 * network, timeouts, 5xx, 429) is retried with exponential backoff and jitter.
 * A resend after a crash is harmless: the vote ids make the gateway idempotent.
 */

export const BATCH_SIZE = 100;
/** Statuses that mean "this body is wrong": only these let a single vote be set aside. */
const BODY_REFUSED = new Set([400, 413, 422]);

export interface SyncStatus {
  depth: number;
  lastSyncAt: string | null;
  /** Consecutive failed attempts (0 when the last one reached the gateway). */
  failures: number;
}

export interface SyncDeps {
  storage: Pick<KioskStorage, "oldest" | "settle" | "depth" | "put">;
  client: Pick<KioskClient, "sendVotes">;
  token: () => string | null;
  now: () => Date;
  random: () => number;
  setTimer: (run: () => void, ms: number) => () => void;
  /** Runs `work` while no other tab of this kiosk syncs (Web Locks); default: just runs it. */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
  onUnauthorized: () => void;
  onStatus?: (status: SyncStatus) => void;
  backoff?: BackoffPolicy;
  lastSyncAt?: string | null;
}

type RoundResult = { kind: "drained" } | { kind: "unauthorized" } | { kind: "retry"; afterMs?: number };

export interface SyncLoop {
  /** Sync soon (after a vote, on a timer): at once, unless a retry is already scheduled. */
  kick(): void;
  /** Sync now, forgetting the backoff: the network just came back. */
  retryNow(): void;
  status(): SyncStatus;
  stop(): void;
  /** Resolves when no round is running or scheduled to run at once (tests). */
  settled(): Promise<void>;
}

export function createSyncLoop(deps: SyncDeps): SyncLoop {
  const exclusive = deps.exclusive ?? (<T>(work: () => Promise<T>) => work());
  const status: SyncStatus = { depth: 0, lastSyncAt: deps.lastSyncAt ?? null, failures: 0 };
  let batchSize = BATCH_SIZE;
  let running: Promise<void> | null = null;
  let again = false;
  let cancelRetry: (() => void) | null = null;
  let stopped = false;

  const publish = async () => {
    status.depth = await deps.storage.depth();
    deps.onStatus?.({ ...status });
  };

  async function sendBatch(token: string, batch: QueuedVote[]): Promise<RoundResult | null> {
    const sentAt = deps.now().toISOString();
    const outcome = await deps.client.sendVotes(token, batch, sentAt);
    switch (outcome.kind) {
      case "ok": {
        const { accepted, duplicates } = outcome.value;
        await deps.storage.settle([...accepted, ...duplicates], refusalsOf(outcome.value), sentAt);
        status.lastSyncAt = sentAt;
        status.failures = 0;
        await deps.storage.put("lastSyncAt", sentAt);
        if (batch.length === 1) batchSize = BATCH_SIZE;
        return null;
      }
      case "unauthorized":
        return { kind: "unauthorized" };
      case "retry":
        return { kind: "retry", ...(outcome.afterMs === undefined ? {} : { afterMs: outcome.afterMs }) };
      case "refused":
        if (!BODY_REFUSED.has(outcome.status)) return { kind: "retry" };
        if (batch.length > 1) {
          // One bad vote must not hold the others back: find it by sending one at a time.
          batchSize = outcome.status === 413 ? Math.max(1, Math.floor(batch.length / 2)) : 1;
          return null;
        }
        await deps.storage.settle([], [{ id: (batch[0] as QueuedVote).id, ...outcome }], sentAt);
        batchSize = BATCH_SIZE;
        status.failures = 0;
        return null;
    }
  }

  async function round(): Promise<RoundResult> {
    for (;;) {
      const token = deps.token();
      if (!token) return { kind: "unauthorized" };
      const batch = await deps.storage.oldest(batchSize);
      if (batch.length === 0) return { kind: "drained" };
      const result = await sendBatch(token, batch);
      await publish();
      if (result) return result;
    }
  }

  async function run(): Promise<void> {
    do {
      again = false;
      const result: RoundResult = await exclusive(() => round()).catch(() => ({ kind: "retry" }) as const);
      await publish().catch(() => undefined);
      if (stopped) return;
      if (result.kind === "unauthorized") {
        deps.onUnauthorized();
        return;
      }
      if (result.kind === "retry" && !again) {
        const wait = Math.max(result.afterMs ?? 0, retryDelay(status.failures, deps.random(), deps.backoff));
        status.failures += 1;
        cancelRetry = deps.setTimer(() => {
          cancelRetry = null;
          loop.kick();
        }, wait);
      }
    } while (again && !stopped);
  }

  const loop: SyncLoop = {
    kick() {
      if (stopped || cancelRetry) return;
      if (running) {
        again = true;
        return;
      }
      running = run().finally(() => {
        running = null;
      });
    },
    retryNow() {
      cancelRetry?.();
      cancelRetry = null;
      status.failures = 0;
      loop.kick();
    },
    status: () => ({ ...status }),
    stop() {
      stopped = true;
      cancelRetry?.();
    },
    async settled() {
      while (running) await running;
    },
  };
  return loop;
}
