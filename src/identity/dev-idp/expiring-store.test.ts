import { describe, expect, it } from "vitest";
import { createExpiringStore } from "./expiring-store.js";

const T0 = new Date("2026-11-04T09:00:00Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

describe("createExpiringStore", () => {
  it("gives each value a random key and lets it be taken once", () => {
    const store = createExpiringStore<string>({ ttlMs: 1000, maxEntries: 10 });
    const key = store.add("login", T0);
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(store.add("other", T0)).not.toBe(key);
    expect(store.take(key, T0)).toBe("login");
    expect(store.take(key, T0)).toBeUndefined();
  });

  it("expires a value after its time to live", () => {
    const store = createExpiringStore<string>({ ttlMs: 1000, maxEntries: 10 });
    const key = store.add("login", T0);
    expect(store.take(key, later(1000))).toBeUndefined();
    const fresh = store.add("login", T0);
    expect(store.take(fresh, later(999))).toBe("login");
  });

  it("when full, drops expired entries first and then the oldest live one", () => {
    const store = createExpiringStore<number>({ ttlMs: 1000, maxEntries: 2 });
    const first = store.add(1, T0);
    const second = store.add(2, later(500));
    const third = store.add(3, later(600));
    expect(store.size).toBe(2);
    expect(store.take(first, later(600))).toBeUndefined();
    store.add(4, later(1550)); // the second has expired: it goes, the third stays
    expect(store.size).toBe(2);
    expect(store.take(third, later(1550))).toBe(3);
    expect(store.take(second, later(1550))).toBeUndefined();
  });

  it("deletes the values a predicate matches", () => {
    const store = createExpiringStore<{ nameId: string }>({ ttlMs: 1000, maxEntries: 10 });
    store.set("a", { nameId: "a" }, T0);
    store.set("b", { nameId: "b" }, T0);
    expect(store.deleteWhere((session) => session.nameId === "a")).toBe(1);
    expect(store.take("a", T0)).toBeUndefined();
    expect(store.take("b", T0)).toEqual({ nameId: "b" });
  });
});
