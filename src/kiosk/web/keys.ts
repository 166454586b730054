import type { Judgment } from "../../shared/domain.js";

/** Faces left to right, and the keypad digit of each: 1 positive, 2 sufficient, 3 negative. */
export const JUDGMENT_ORDER: readonly Judgment[] = ["positive", "sufficient", "negative"];

/**
 * The digit a key press stands for, from the main row or a USB keypad with
 * Num Lock on or off (`Numpad1` arrives as "End" without Num Lock).
 */
export function digitOf(event: Pick<KeyboardEvent, "key" | "code">): number | null {
  if (/^[0-9]$/.test(event.key)) return Number(event.key);
  const numpad = /^Numpad([0-9])$/.exec(event.code);
  return numpad ? Number(numpad[1]) : null;
}
