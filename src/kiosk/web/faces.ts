import type { Judgment } from "../../shared/domain.js";

/**
 * The three faces, drawn here as SVG (issue 3 §2). Colour is never the only
 * cue (WCAG 1.4.1): each face has its own outline (circle, rounded square,
 * octagon) and expression, and the button beside it carries a text label.
 * The SVG is decorative (`aria-hidden`); the label is the accessible name.
 */

const OUTLINES: Record<Judgment, string> = {
  positive: '<circle cx="50" cy="50" r="45"/>',
  sufficient: '<rect x="6" y="6" width="88" height="88" rx="14"/>',
  negative: '<polygon points="31,5 69,5 95,31 95,69 69,95 31,95 5,69 5,31"/>',
};

const MOUTHS: Record<Judgment, string> = {
  positive: '<path d="M28 60 Q50 82 72 60"/>',
  sufficient: '<path d="M30 66 H70"/>',
  negative: '<path d="M28 74 Q50 52 72 74"/>',
};

/** Eyes are shared; raised inner brows make the red face sad rather than angry (MLF's "faccina triste"). */
const BROWS: Record<Judgment, string> = {
  positive: "",
  sufficient: "",
  negative: '<path d="M24 33 L40 26 M76 33 L60 26"/>',
};

export function faceSvg(judgment: Judgment): string {
  return (
    `<svg class="face-icon face-icon--${judgment}" viewBox="0 0 100 100" aria-hidden="true" focusable="false">` +
    `<g class="face-shape">${OUTLINES[judgment]}</g>` +
    '<g class="face-features"><circle cx="35" cy="42" r="6"/><circle cx="65" cy="42" r="6"/></g>' +
    `<g class="face-lines">${MOUTHS[judgment]}${BROWS[judgment]}</g>` +
    "</svg>"
  );
}

/**
 * Shown on the thank-you screen: the same for every face and in none of their
 * colours, so nobody nearby learns which was pressed (§7).
 */
export const THANKS_SVG =
  '<svg class="thanks-icon" viewBox="0 0 100 100" aria-hidden="true" focusable="false">' +
  '<circle cx="50" cy="50" r="45"/><path d="M28 52 L44 68 L73 36"/></svg>';

/** Icons of the aids in the header: drawn, not emoji, so every device shows them. */
export const TOOL_ICONS = {
  largeText:
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M2 19 L7 5 L12 19 M4 14 H10 M16 9 V17 M12 13 H20"/></svg>',
  highContrast:
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="9"/><path d="M12 3 A9 9 0 0 0 12 21 Z" class="filled"/></svg>',
  speech:
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M3 9 H7 L12 5 V19 L7 15 H3 Z" class="filled"/><path d="M16 8.5 A5 5 0 0 1 16 15.5 M18.5 6 A8.5 8.5 0 0 1 18.5 18"/></svg>',
} as const;
