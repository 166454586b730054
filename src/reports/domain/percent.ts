/**
 * Percentages as the report prints them: one decimal, rounded half away from
 * zero, computed from integers so the same counts always give the same digits
 * on every platform (no binary floating-point ties such as 0.15 * 100).
 */

/** `numerator / denominator` rounded half away from zero to an integer; integers in, `denominator > 0`. */
function roundedQuotient(numerator: number, denominator: number): number {
  const magnitude = Math.abs(numerator);
  let quotient = Math.floor(magnitude / denominator);
  let remainder = magnitude - quotient * denominator;
  // Floating division may land one off for very large operands; the remainder tells.
  if (remainder < 0) {
    quotient -= 1;
    remainder += denominator;
  } else if (remainder >= denominator) {
    quotient += 1;
    remainder -= denominator;
  }
  const rounded = 2 * remainder >= denominator ? quotient + 1 : quotient;
  return numerator < 0 && rounded !== 0 ? -rounded : rounded;
}

/**
 * `part` as a percentage of `whole`, one decimal (`percentOf(1, 3)` is 33.3,
 * `percentOf(1, 8)` is 12.5, `percentOf(1, 16)` is 6.3); null when `whole` is 0.
 * Both must be non-negative safe integers; `part` may exceed `whole`
 * (a participation rate above 100 % is a data problem to show, not hide).
 */
export function percentOf(part: number, whole: number): number | null {
  if (
    !Number.isSafeInteger(part) ||
    !Number.isSafeInteger(part * 1000) ||
    !Number.isSafeInteger(whole) ||
    part < 0 ||
    whole < 0
  ) {
    throw new RangeError(`percentOf needs non-negative integers, got ${part} / ${whole}`);
  }
  if (whole === 0) return null;
  return roundedQuotient(part * 1000, whole) / 10;
}

/**
 * The change between two one-decimal percentages in percentage points, one
 * decimal: `pointsChange(81.3, 79.9)` is 1.4, exactly the difference of the
 * printed figures. Null when either is null.
 */
export function pointsChange(current: number | null, earlier: number | null): number | null {
  if (current === null || earlier === null) return null;
  const tenths = Math.round(current * 10) - Math.round(earlier * 10);
  return tenths === 0 ? 0 : tenths / 10;
}
