import type { Clock } from "../shared/clock.js";
import type { KioskRepository } from "./adapters/kiosk-repository.js";
import type { KioskProfile } from "./domain/profile.js";
import type { VoteRules } from "./domain/vote.js";

export interface LoadedProfile {
  profile: KioskProfile;
  rules: VoteRules;
}

/**
 * Keeps each kiosk's profile for a short while, so a vote request costs no
 * catalogue queries. Staleness is harmless by construction: a vote naming a
 * service or reason the cached copy does not know triggers one reload before
 * it is refused, and `GET config` always reads fresh.
 */
export function createProfileCache(repo: KioskRepository, clock: Clock, ttlMs = 30_000) {
  const entries = new Map<string, { value: LoadedProfile; loadedAt: number }>();

  async function refresh(kioskId: string): Promise<LoadedProfile | null> {
    const value = await repo.loadProfile(kioskId);
    if (value) entries.set(kioskId, { value, loadedAt: clock.now().getTime() });
    else entries.delete(kioskId);
    return value;
  }

  return {
    refresh,
    async get(kioskId: string): Promise<LoadedProfile | null> {
      const entry = entries.get(kioskId);
      if (entry && clock.now().getTime() - entry.loadedAt < ttlMs) return entry.value;
      return refresh(kioskId);
    },
    /** Drops cached profiles: one kiosk's, or all after a catalogue change. */
    invalidate(kioskId?: string): void {
      if (kioskId === undefined) entries.clear();
      else entries.delete(kioskId);
    },
  };
}

export type ProfileCache = ReturnType<typeof createProfileCache>;
