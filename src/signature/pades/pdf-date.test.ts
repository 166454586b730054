import { describe, expect, it } from "vitest";
import { berElementLength } from "./ber-length.js";
import { parsePdfDate } from "./pdf-date.js";

describe("parsePdfDate (ISO 32000-1 §7.9.4)", () => {
  it.each([
    ["D:20260102030405Z", "2026-01-02T03:04:05.000Z"],
    ["D:20260102030405+01'00'", "2026-01-02T02:04:05.000Z"],
    ["D:20260102030405-05'30", "2026-01-02T08:34:05.000Z"],
    ["D:202601", "2026-01-01T00:00:00.000Z"],
    ["20260102", "2026-01-02T00:00:00.000Z"],
  ])("reads %s", (text, iso) => {
    expect(parsePdfDate(text)?.toISOString()).toBe(iso);
  });

  it.each(["", "D:", "D:2026130101", "D:20260231", "D:20260101250000Z", "yesterday", "D:2026010203040"])(
    "refuses %j",
    (text) => {
      expect(parsePdfDate(text)).toBeUndefined();
    },
  );
});

describe("berElementLength (X.690 §8.1)", () => {
  it.each([
    ["short form", [0x30, 0x02, 0x05, 0x00, 0x00, 0x00], 4],
    ["long form", [0x30, 0x81, 0x01, 0x00, 0x00], 4],
    ["indefinite, nested", [0x30, 0x80, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00], 7],
    ["high tag number", [0x9f, 0x81, 0x01, 0x01, 0xaa], 5],
  ])("measures the %s", (_, bytes, length) => {
    expect(berElementLength(new Uint8Array(bytes))).toBe(length);
  });

  it.each([
    ["nothing", []],
    ["a truncated element", [0x30, 0x05, 0x00]],
    ["an indefinite primitive", [0x04, 0x80, 0x00, 0x00]],
    ["an unterminated indefinite", [0x30, 0x80, 0x04, 0x01, 0x00]],
    ["a five-octet length", [0x30, 0x85, 1, 1, 1, 1, 1]],
  ])("refuses %s", (_, bytes) => {
    expect(berElementLength(new Uint8Array(bytes))).toBeUndefined();
  });
});
