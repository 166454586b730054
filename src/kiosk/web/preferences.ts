/**
 * Per-citizen aids (issue 3 §4): larger text, high contrast, spoken prompts.
 * They last for one citizen's vote and reset with the language afterwards.
 */
export interface Preferences {
  largeText: boolean;
  highContrast: boolean;
  speech: boolean;
}

export const DEFAULT_PREFERENCES: Preferences = { largeText: false, highContrast: false, speech: false };

export function isDefault(p: Preferences): boolean {
  return !p.largeText && !p.highContrast && !p.speech;
}

/**
 * How long the kiosk waits for the next touch before returning to start.
 * Someone using an aid gets twice as long (WCAG 2.2.1 timing adjustable;
 * EAA Annex I "extendable response time").
 */
export function idleTimeoutMs(idleSeconds: number, p: Preferences): number {
  return idleSeconds * 1000 * (isDefault(p) ? 1 : 2);
}
