import type { Judgment } from "../../shared/domain.js";
import type { KioskProfile } from "../domain/profile.js";
import type { FlowEvent, Screen } from "./flow.js";

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

/**
 * What a key does on each screen (issue 3 §4, keyboard and keypad use):
 * digits pick the n-th tile, face or reason, 0 skips the reason, Escape and
 * Backspace go back. Tab, Enter and Space are left to the browser's buttons.
 */
export function flowEventForKey(
  event: Pick<KeyboardEvent, "key" | "code">,
  screen: Screen,
  profile: Pick<KioskProfile, "services" | "reasons">,
): FlowEvent | null {
  if (event.key === "Escape" || event.key === "Backspace") return { type: "back" };
  const digit = digitOf(event);
  if (digit === null) return null;
  switch (screen) {
    case "services": {
      const service = profile.services[digit - 1];
      return service ? { type: "chooseService", serviceId: service.id } : null;
    }
    case "faces": {
      const judgment = JUDGMENT_ORDER[digit - 1];
      return judgment ? { type: "chooseFace", judgment } : null;
    }
    case "reasons": {
      if (digit === 0) return { type: "chooseReason", reason: null };
      const reason = profile.reasons[digit - 1];
      return reason ? { type: "chooseReason", reason: reason.code } : null;
    }
    default:
      return null;
  }
}
