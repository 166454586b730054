import { describe, expect, it } from "vitest";
import { fixedClock } from "../shared/clock.js";
import type { KioskIdentity, KioskRepository } from "./adapters/kiosk-repository.js";
import { createKioskAuthenticator } from "./kiosk-authenticator.js";

const identity: KioskIdentity = {
  id: "k1",
  name: "Totem",
  entityId: "e1",
  officeId: "o1",
  deskId: null,
  repeatIntervalSeconds: 3,
  timezone: "Europe/Rome",
};

function fakeRepo(known: Map<string, KioskIdentity>) {
  const calls: string[][] = [];
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const repo = {
    async findByTokenHashes(hashes: readonly string[]) {
      calls.push([...hashes]);
      const found = new Map([...known].filter(([hash]) => hashes.includes(hash))); // the database read
      await gate; // the answer still on its way
      return found;
    },
  } as unknown as KioskRepository;
  return {
    repo,
    calls,
    hold() {
      gate = new Promise((resolve) => {
        release = resolve;
      });
    },
    release: () => release(),
  };
}

describe("createKioskAuthenticator", () => {
  it("looks a token up once, then answers from memory", async () => {
    const fake = fakeRepo(new Map([["h1", identity]]));
    const auth = createKioskAuthenticator(fake.repo, fixedClock(new Date(0)));
    expect(await auth.authenticate("h1")).toEqual(identity);
    expect(await auth.authenticate("h1")).toEqual(identity);
    expect(fake.calls).toHaveLength(1);
  });

  it("shares one look-up between requests arriving together", async () => {
    const fake = fakeRepo(new Map([["h1", identity]]));
    const auth = createKioskAuthenticator(fake.repo, fixedClock(new Date(0)));
    await Promise.all([auth.authenticate("h1"), auth.authenticate("h2"), auth.authenticate("h1")]);
    expect(fake.calls).toEqual([["h1", "h2"]]);
  });

  it("never remembers an unknown token, so a kiosk paired a moment later works", async () => {
    const known = new Map<string, KioskIdentity>();
    const auth = createKioskAuthenticator(fakeRepo(known).repo, fixedClock(new Date(0)));
    expect(await auth.authenticate("h1")).toBeUndefined();
    known.set("h1", identity);
    expect(await auth.authenticate("h1")).toEqual(identity);
  });

  it("forgets a revoked kiosk, and a look-up in flight during the revocation does not bring it back", async () => {
    const known = new Map([["h1", identity]]);
    const fake = fakeRepo(known);
    const auth = createKioskAuthenticator(fake.repo, fixedClock(new Date(0)));
    fake.hold();
    const inFlight = auth.authenticate("h1"); // read before the revocation commits
    await new Promise((resolve) => setImmediate(resolve));
    known.delete("h1");
    auth.forgetKiosk("k1");
    fake.release();
    expect(await inFlight).toEqual(identity);
    expect(await auth.authenticate("h1")).toBeUndefined();
  });

  it("looks again once the time to live has passed", async () => {
    const clock = fixedClock(new Date(0));
    const fake = fakeRepo(new Map([["h1", identity]]));
    const auth = createKioskAuthenticator(fake.repo, clock, 1000);
    await auth.authenticate("h1");
    clock.advance(1001);
    await auth.authenticate("h1");
    expect(fake.calls).toHaveLength(2);
  });
});
