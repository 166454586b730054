import { describe, expect, it } from "vitest";
import { digitOf, flowEventForKey } from "./keys.js";

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

describe("keys on each screen", () => {
  const profile = {
    services: [{ id: "s1" }, { id: "s2" }],
    reasons: [{ code: "attesa" }, { code: "cortesia" }],
  } as unknown as Parameters<typeof flowEventForKey>[2];
  const key = (k: string, code = `Digit${k}`) => ({ key: k, code });

  it.each([
    ["services", key("2"), { type: "chooseService", serviceId: "s2" }],
    ["services", key("3"), null],
    ["faces", key("1"), { type: "chooseFace", judgment: "positive" }],
    ["faces", key("2"), { type: "chooseFace", judgment: "sufficient" }],
    ["faces", { key: "PageDown", code: "Numpad3" }, { type: "chooseFace", judgment: "negative" }],
    ["faces", key("4"), null],
    ["reasons", key("2"), { type: "chooseReason", reason: "cortesia" }],
    ["reasons", key("0"), { type: "chooseReason", reason: null }],
    ["reasons", key("9"), null],
    ["thanks", key("1"), null],
    ["faces", { key: "Escape", code: "Escape" }, { type: "back" }],
    ["reasons", { key: "Backspace", code: "Backspace" }, { type: "back" }],
    ["faces", { key: "Enter", code: "Enter" }, null],
  ] as const)("on %s, %o → %o", (screen, event, expected) => {
    expect(flowEventForKey(event, screen, profile)).toEqual(expected);
  });
});
