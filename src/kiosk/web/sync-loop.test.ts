import "fake-indexeddb/auto";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { ApiOutcome, VoteResult } from "./kiosk-client.js";
import { type KioskStorage, openKioskStorage, type QueuedVote } from "./storage.js";
import { createSyncLoop, type SyncLoop } from "./sync-loop.js";

/**
 * The sync loop against the real storage code on an in-memory IndexedDB
 * (fake-indexeddb) and a fake gateway with the real one's idempotency: a
 * vote id stored once is a duplicate ever after.
 */

type Fault = "none" | "unreachable" | "answer-lost" | "server-error" | "rate-limited";

function fakeGateway() {
  const stored = new Map<string, QueuedVote>();
  const inserts: string[] = [];
  const requests: number[] = [];
  let faults: Fault[] = [];
  let badIds = new Set<string>();
  return {
    stored,
    inserts,
    requests,
    failNext(...next: Fault[]) {
      faults = next;
    },
    refuseBody(ids: string[]) {
      badIds = new Set(ids);
    },
    async sendVotes(_token: string, votes: readonly QueuedVote[]): Promise<ApiOutcome<VoteResult>> {
      requests.push(votes.length);
      const fault = faults.shift() ?? "none";
      if (fault === "unreachable") return { kind: "retry", reason: "network" };
      if (fault === "server-error") return { kind: "retry", reason: "500 INTERNAL_ERROR" };
      if (fault === "rate-limited") return { kind: "retry", reason: "429", afterMs: 30_000 };
      if (votes.some((v) => badIds.has(v.id))) {
        return { kind: "refused", status: 400, code: "REQUEST_VALIDATION_FAILED", detail: "bad vote" };
      }
      const result: VoteResult = { accepted: [], duplicates: [], rejected: [] };
      for (const vote of votes) {
        if (vote.serviceId === "retired") {
          result.rejected.push({ id: vote.id, code: "VOTE_SERVICE_NOT_OFFERED", detail: "not here" });
        } else if (stored.has(vote.id)) result.duplicates.push(vote.id);
        else {
          stored.set(vote.id, vote);
          inserts.push(vote.id);
          result.accepted.push(vote.id);
        }
      }
      // The gateway committed, but the kiosk never hears the answer.
      if (fault === "answer-lost") return { kind: "retry", reason: "connection reset" };
      return { kind: "ok", value: result };
    },
  };
}

function manualTimers() {
  const pending: Array<{ run: () => void; ms: number }> = [];
  return {
    pending,
    setTimer(run: () => void, ms: number) {
      const entry = { run, ms };
      pending.push(entry);
      return () => {
        const at = pending.indexOf(entry);
        if (at >= 0) pending.splice(at, 1);
      };
    },
    fireNext() {
      const next = pending.shift();
      next?.run();
      return next?.ms;
    },
  };
}

let counter = 0;
const vote = (patch: Partial<QueuedVote> = {}): QueuedVote => ({
  id: `00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}`,
  serviceId: "anagrafe",
  judgment: "positive",
  castAt: new Date(Date.UTC(2026, 10, 1, 9, 0, counter)).toISOString(),
  ...patch,
});

describe("kiosk sync loop", () => {
  let storage: KioskStorage;
  let loop: SyncLoop;
  afterEach(() => {
    loop?.stop();
    storage?.close();
  });

  async function setup(options: { token?: string | null } = {}) {
    storage = await openKioskStorage(`test-${++counter}`);
    const gateway = fakeGateway();
    const timers = manualTimers();
    const events = { unauthorized: 0 };
    loop = createSyncLoop({
      storage,
      client: gateway,
      token: () => (options.token === undefined ? "fk_test" : options.token),
      now: () => new Date("2026-11-26T10:00:00Z"),
      random: () => 0.5,
      setTimer: timers.setTimer,
      onUnauthorized: () => {
        events.unauthorized += 1;
      },
    });
    const run = async () => {
      loop.kick();
      await loop.settled();
    };
    return { gateway, timers, events, run };
  }

  it("sends queued votes in batches of 100 and removes what the gateway acknowledged", async () => {
    const { gateway, run } = await setup();
    const votes = Array.from({ length: 250 }, () => vote());
    for (const v of votes) await storage.enqueue(v);
    await run();
    expect(gateway.requests).toEqual([100, 100, 50]);
    expect(gateway.inserts.sort()).toEqual(votes.map((v) => v.id).sort());
    expect(await storage.depth()).toBe(0);
    expect(loop.status()).toMatchObject({ depth: 0, failures: 0, lastSyncAt: "2026-11-26T10:00:00.000Z" });
    expect(await storage.get("lastSyncAt")).toBe("2026-11-26T10:00:00.000Z");
  });

  it("sends the oldest votes first", async () => {
    const { gateway, run } = await setup();
    const late = vote({ castAt: "2026-11-02T10:00:00.000Z" });
    const early = vote({ castAt: "2026-11-01T10:00:00.000Z" });
    await storage.enqueue(late);
    await storage.enqueue(early);
    await run();
    expect(gateway.inserts).toEqual([early.id, late.id]);
  });

  it("sets aside a vote the gateway rejected, with its code, and keeps nothing else back", async () => {
    const { gateway, run } = await setup();
    const good = vote();
    const retired = vote({ serviceId: "retired" });
    await storage.enqueue(good);
    await storage.enqueue(retired);
    await run();
    expect(gateway.inserts).toEqual([good.id]);
    expect(await storage.depth()).toBe(0);
    expect(await storage.setAside()).toEqual([
      { vote: retired, code: "VOTE_SERVICE_NOT_OFFERED", detail: "not here", setAsideAt: "2026-11-26T10:00:00.000Z" },
    ]);
  });

  it("keeps every vote and retries with growing delays while the gateway fails", async () => {
    const { gateway, timers, run } = await setup();
    const votes = [vote(), vote()];
    for (const v of votes) await storage.enqueue(v);
    gateway.failNext("unreachable", "server-error", "server-error");
    await run();
    const delays: Array<number | undefined> = [];
    for (let i = 0; i < 3; i++) {
      expect(await storage.depth()).toBe(2);
      delays.push(timers.fireNext());
      await loop.settled();
    }
    expect(delays).toEqual([750, 1500, 3000]);
    expect(gateway.inserts).toHaveLength(2);
    expect(await storage.depth()).toBe(0);
    expect(timers.pending).toHaveLength(0);
  });

  it("waits at least the gateway's Retry-After when rate-limited, and a new vote does not jump the queue", async () => {
    const { gateway, timers, run } = await setup();
    await storage.enqueue(vote());
    gateway.failNext("rate-limited");
    await run();
    expect(timers.pending.map((t) => t.ms)).toEqual([30_000]);
    await storage.enqueue(vote());
    await run();
    expect(gateway.requests).toHaveLength(1);
    timers.fireNext();
    await loop.settled();
    expect(gateway.inserts).toHaveLength(2);
  });

  it("retries at once when the network comes back", async () => {
    const { gateway, timers, run } = await setup();
    await storage.enqueue(vote());
    gateway.failNext("unreachable", "unreachable");
    await run();
    await run(); // a kick during the backoff waits for the timer
    expect(gateway.requests).toHaveLength(1);
    timers.fireNext();
    await loop.settled();
    loop.retryNow();
    await loop.settled();
    expect(gateway.inserts).toHaveLength(1);
    expect(timers.pending).toHaveLength(0);
  });

  it("stops and reports when the token is refused, keeping the votes for the next pairing", async () => {
    const { events, run } = await setup({ token: null });
    await storage.enqueue(vote());
    await run();
    expect(events.unauthorized).toBe(1);
    expect(await storage.depth()).toBe(1);
  });

  it("finds the one vote that breaks the batch, sets it aside, and delivers the rest", async () => {
    const { gateway, run } = await setup();
    const votes = [vote(), vote(), vote(), vote()];
    for (const v of votes) await storage.enqueue(v);
    gateway.refuseBody([votes[2]?.id as string]);
    await run();
    expect(gateway.inserts.sort()).toEqual([votes[0], votes[1], votes[3]].map((v) => v?.id).sort());
    expect((await storage.setAside()).map((s) => [s.vote.id, s.code])).toEqual([
      [votes[2]?.id, "REQUEST_VALIDATION_FAILED"],
    ]);
    expect(await storage.depth()).toBe(0);
  });

  it("delivers every vote exactly once whatever fails, answers lost after the commit included", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 260 }),
        fc.array(fc.constantFrom<Fault>("none", "unreachable", "answer-lost", "server-error"), { maxLength: 12 }),
        async (count, faults) => {
          const { gateway, timers, run } = await setup();
          const votes = Array.from({ length: count }, () => vote());
          for (const v of votes) await storage.enqueue(v);
          gateway.failNext(...faults);
          await run();
          for (let guard = 0; timers.pending.length > 0 && guard < 50; guard++) {
            timers.fireNext();
            await loop.settled();
          }
          expect(gateway.inserts).toHaveLength(count);
          expect(new Set(gateway.inserts)).toEqual(new Set(votes.map((v) => v.id)));
          expect(await storage.depth()).toBe(0);
          loop.stop();
          storage.close();
        },
      ),
      { numRuns: 25 },
    );
  });
});
