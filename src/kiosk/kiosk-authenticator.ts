import { createBatchLoader } from "../shared/batch-loader.js";
import type { Clock } from "../shared/clock.js";
import type { KioskIdentity, KioskRepository } from "./adapters/kiosk-repository.js";

/**
 * Token → kiosk, remembered between requests so a vote costs no look-up.
 * Revocation still takes effect at once: the process that revokes forgets
 * the kiosk before answering, the others hear it through Postgres
 * LISTEN/NOTIFY within milliseconds, and everything is forgotten when the
 * listening connection had a gap. `ttlMs` bounds any other staleness (an
 * entity's settings changed by another replica). Unknown tokens are never
 * remembered, so a kiosk paired a moment ago works on its first request.
 */
export function createKioskAuthenticator(repo: KioskRepository, clock: Clock, ttlMs = 60_000) {
  const byTokenHash = new Map<string, { identity: KioskIdentity; at: number }>();
  // Bumped by every invalidation: a look-up that started before one must not refill the cache.
  let generation = 0;
  const load = createBatchLoader((hashes: string[]) => repo.findByTokenHashes(hashes));

  function forget(matches: (identity: KioskIdentity) => boolean): void {
    generation += 1;
    for (const [hash, entry] of byTokenHash) if (matches(entry.identity)) byTokenHash.delete(hash);
  }

  return {
    /** The remembered kiosk for a token hash, without waiting; undefined when `authenticate` must look it up. */
    cached(tokenHash: string): KioskIdentity | undefined {
      const hit = byTokenHash.get(tokenHash);
      return hit && clock.now().getTime() - hit.at < ttlMs ? hit.identity : undefined;
    },
    async authenticate(tokenHash: string): Promise<KioskIdentity | undefined> {
      const now = clock.now().getTime();
      const hit = byTokenHash.get(tokenHash);
      if (hit && now - hit.at < ttlMs) return hit.identity;
      const started = generation;
      const identity = await load(tokenHash);
      if (identity && started === generation) byTokenHash.set(tokenHash, { identity, at: now });
      else byTokenHash.delete(tokenHash);
      return identity;
    },
    forgetKiosk: (kioskId: string) => forget((identity) => identity.id === kioskId),
    forgetEntity: (entityId: string) => forget((identity) => identity.entityId === entityId),
    forgetAll: () => forget(() => true),
  };
}

export type KioskAuthenticator = ReturnType<typeof createKioskAuthenticator>;
