/** The IdPs in use, per federation: sorted for the login button, keyed by entityID for the ACS. */
import type { Federation, IdpDescriptor } from "./model.js";

export interface IdpIndex {
  list(federation: Federation): readonly IdpDescriptor[];
  get(federation: Federation, entityId: string): IdpDescriptor | undefined;
}

/** Italian collation: "Èlite" sorts with the Es, not after "Zeta" as code units would put it. */
const COLLATOR = new Intl.Collator("it", { sensitivity: "base", numeric: true });

export function compareIdps(a: IdpDescriptor, b: IdpDescriptor): number {
  return (
    COLLATOR.compare(a.displayName, b.displayName) || (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : 0)
  );
}

/**
 * `fromSources` in source order: the first occurrence of an entityID wins and later ones are
 * returned as duplicates. `locals` (registered by code, not downloaded) replace source entries.
 */
export function buildIdpIndex(
  fromSources: readonly IdpDescriptor[],
  locals: readonly IdpDescriptor[],
): { index: IdpIndex; duplicates: IdpDescriptor[] } {
  const byKey = new Map<string, IdpDescriptor>();
  const duplicates: IdpDescriptor[] = [];
  for (const idp of fromSources) {
    const key = keyOf(idp.federation, idp.entityId);
    if (byKey.has(key)) duplicates.push(idp);
    else byKey.set(key, idp);
  }
  for (const idp of locals) byKey.set(keyOf(idp.federation, idp.entityId), idp);
  const lists = new Map<Federation, readonly IdpDescriptor[]>();
  for (const federation of ["spid", "cie"] as const) {
    const list = [...byKey.values()].filter((idp) => idp.federation === federation).sort(compareIdps);
    lists.set(federation, Object.freeze(list));
  }
  return {
    index: {
      list: (federation) => lists.get(federation) ?? [],
      get: (federation, entityId) => byKey.get(keyOf(federation, entityId)),
    },
    duplicates,
  };
}

function keyOf(federation: Federation, entityId: string): string {
  return `${federation} ${entityId}`;
}
