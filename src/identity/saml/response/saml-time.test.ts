import { describe, expect, it } from "vitest";
import { parseSamlInstant } from "./saml-time.js";

describe("parseSamlInstant (SAML Core §1.3.3)", () => {
  it.each([
    ["2026-11-04T09:00:00Z", "2026-11-04T09:00:00.000Z"],
    ["2026-11-04T09:00:00.1Z", "2026-11-04T09:00:00.100Z"],
    ["2026-11-04T09:00:00.123456Z", "2026-11-04T09:00:00.123Z"],
    ["2026-11-04T09:00:00.999999999999Z", "2026-11-04T09:00:00.999Z"],
    ["2028-02-29T23:59:59Z", "2028-02-29T23:59:59.000Z"],
  ])("reads %s", (value, iso) => {
    expect(parseSamlInstant(value)?.toISOString()).toBe(iso);
  });

  it.each([
    "",
    "2026-11-04",
    "2026-11-04T09:00:00",
    "2026-11-04T09:00:00+01:00",
    "2026-11-04T09:00:00.Z",
    "2026-02-29T09:00:00Z",
    "2026-11-04T24:00:00Z",
    "2026-11-04T09:60:00Z",
    " 2026-11-04T09:00:00Z",
  ])("refuses %j", (value) => {
    expect(parseSamlInstant(value)).toBeUndefined();
  });
});
