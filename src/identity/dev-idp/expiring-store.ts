import { randomBytes } from "node:crypto";

/**
 * A bounded in-memory map whose entries expire: the IdP's pending logins (single use, 10 minutes)
 * and the sessions it has opened (forgotten at logout). The development IdP runs in one process,
 * so memory is enough; the bound keeps a flood of requests from growing it without limit.
 */
export interface ExpiringStore<T> {
  /** Stores `value` under a new random key (192 bits, base64url) and returns the key. */
  add(value: T, now: Date): string;
  /** Stores `value` under `key`. */
  set(key: string, value: T, now: Date): void;
  /** Removes and returns the live value under `key`: each key can be taken once. */
  take(key: string, now: Date): T | undefined;
  /** Removes every entry `matches` accepts; returns how many. */
  deleteWhere(matches: (value: T) => boolean): number;
  readonly size: number;
}

export function createExpiringStore<T>(options: { ttlMs: number; maxEntries: number }): ExpiringStore<T> {
  const entries = new Map<string, { value: T; expiresAt: number }>();

  function set(key: string, value: T, now: Date): void {
    for (const [stored, entry] of entries) if (entry.expiresAt <= now.getTime()) entries.delete(stored);
    entries.delete(key);
    // A Map iterates in insertion order: the first key is the oldest.
    while (entries.size >= options.maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      entries.delete(oldest.value);
    }
    entries.set(key, { value, expiresAt: now.getTime() + options.ttlMs });
  }

  return {
    add(value, now) {
      const key = randomBytes(24).toString("base64url");
      set(key, value, now);
      return key;
    },
    set,
    take(key, now) {
      const entry = entries.get(key);
      entries.delete(key);
      return entry !== undefined && entry.expiresAt > now.getTime() ? entry.value : undefined;
    },
    deleteWhere(matches) {
      let deleted = 0;
      for (const [key, entry] of entries) {
        if (matches(entry.value)) {
          entries.delete(key);
          deleted++;
        }
      }
      return deleted;
    },
    get size() {
      return entries.size;
    },
  };
}
