import { describe, expect, it } from "vitest";
import { newVoteId } from "./uuid.js";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("vote ids", () => {
  it("are version 4 UUIDs", () => {
    expect(newVoteId()).toMatch(V4);
  });

  it("are still version 4 UUIDs where randomUUID is missing (plain HTTP on the LAN)", () => {
    const original = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(crypto), "randomUUID");
    Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
    try {
      const ids = new Set(Array.from({ length: 200 }, () => newVoteId()));
      expect(ids.size).toBe(200);
      for (const id of ids) expect(id).toMatch(V4);
    } finally {
      delete (crypto as { randomUUID?: unknown }).randomUUID;
      if (original && !("randomUUID" in crypto)) Object.defineProperty(crypto, "randomUUID", original);
    }
    expect(typeof crypto.randomUUID).toBe("function");
  });
});
