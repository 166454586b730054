import type { Clock } from "../shared/clock.js";
import type { KioskIdentity, KioskRepository } from "./adapters/kiosk-repository.js";
import { buildKioskProfile, type EntityCatalogue, type KioskProfile, voteRulesFor } from "./domain/profile.js";
import type { VoteRules } from "./domain/vote.js";

/**
 * Keeps each entity's catalogue (services, reasons, settings) for a short
 * while, shared by all its kiosks, so a vote request costs no catalogue
 * queries. Staleness is harmless by construction: a vote naming a service or
 * reason the cached copy does not know triggers one reload before it is
 * refused, `GET config` always reads fresh, and staff changes in this process
 * invalidate at once.
 */
export function createProfileCache(repo: KioskRepository, clock: Clock, ttlMs = 30_000) {
  const entries = new Map<
    string,
    {
      catalogue: Promise<EntityCatalogue | null>;
      loadedAt: number;
      /** The loaded catalogue once the promise settled: lets a vote request skip the await. */
      settled?: { value: EntityCatalogue | null };
    }
  >();
  // Dropped with its catalogue: a reload makes a new catalogue object.
  const rulesMemo = new WeakMap<EntityCatalogue, Map<string, VoteRules>>();

  function load(entityId: string): Promise<EntityCatalogue | null> {
    const catalogue = repo.loadCatalogue(entityId);
    const entry: NonNullable<ReturnType<typeof entries.get>> = { catalogue, loadedAt: clock.now().getTime() };
    entries.set(entityId, entry);
    catalogue.then(
      (value) => {
        entry.settled = { value };
      },
      () => {
        if (entries.get(entityId) === entry) entries.delete(entityId);
      },
    );
    return catalogue;
  }

  function rulesOf(kiosk: KioskIdentity, catalogue: EntityCatalogue): VoteRules {
    let byPlacement = rulesMemo.get(catalogue);
    if (byPlacement === undefined) {
      byPlacement = new Map<string, VoteRules>();
      rulesMemo.set(catalogue, byPlacement);
    }
    const key = `${kiosk.id}/${kiosk.officeId}/${kiosk.deskId ?? ""}`;
    let rules = byPlacement.get(key);
    if (rules === undefined) {
      rules = voteRulesFor(kiosk, catalogue);
      byPlacement.set(key, rules);
    }
    return rules;
  }

  async function catalogueFor(entityId: string, fresh: boolean): Promise<EntityCatalogue | null> {
    const entry = entries.get(entityId);
    if (!fresh && entry && clock.now().getTime() - entry.loadedAt < ttlMs) return entry.catalogue;
    return load(entityId);
  }

  return {
    async profile(kiosk: KioskIdentity, fresh = false): Promise<KioskProfile | null> {
      const catalogue = await catalogueFor(kiosk.entityId, fresh);
      return catalogue ? buildKioskProfile(kiosk, catalogue) : null;
    },
    /** Memoised per catalogue and kiosk placement: checked on every vote request. */
    async rules(kiosk: KioskIdentity, fresh = false): Promise<VoteRules | null> {
      const catalogue = await catalogueFor(kiosk.entityId, fresh);
      return catalogue ? rulesOf(kiosk, catalogue) : null;
    },
    /**
     * The rules from a catalogue already loaded and still fresh, without
     * waiting; undefined when `rules()` must be awaited instead (not cached,
     * expired, still loading, or the entity is gone).
     */
    cachedRules(kiosk: KioskIdentity): VoteRules | undefined {
      const entry = entries.get(kiosk.entityId);
      const catalogue = entry?.settled?.value;
      if (!catalogue || clock.now().getTime() - (entry as { loadedAt: number }).loadedAt >= ttlMs) return undefined;
      return rulesOf(kiosk, catalogue);
    },
    /** Reason ids by code, to store a vote's reason. */
    async reasonIds(kiosk: KioskIdentity): Promise<Map<string, string>> {
      const catalogue = await catalogueFor(kiosk.entityId, false);
      return new Map((catalogue?.reasons ?? []).map((r) => [r.code, r.id]));
    },
    /** Drops cached catalogues: one entity's, or all after a change whose scope is unknown. */
    invalidate(entityId?: string): void {
      if (entityId === undefined) entries.clear();
      else entries.delete(entityId);
    },
  };
}

export type ProfileCache = ReturnType<typeof createProfileCache>;
