import { describe, expect, it } from "vitest";
import { digitOf } from "./keys.js";

describe("keypad digits", () => {
  it.each([
    [{ key: "1", code: "Digit1" }, 1],
    [{ key: "3", code: "Numpad3" }, 3],
    [{ key: "End", code: "Numpad1" }, 1],
    [{ key: "Insert", code: "Numpad0" }, 0],
    [{ key: "a", code: "KeyA" }, null],
    [{ key: "Enter", code: "NumpadEnter" }, null],
  ])("reads %o as %s", (event, digit) => {
    expect(digitOf(event)).toBe(digit);
  });
});
