import { percentOf } from "./percent.js";
import type { Cell } from "./report-document.js";

/**
 * Small-cell suppression (issue 4 "Privacy"): a published count from 1 to
 * `minCellSize - 1` is shown as "<5", so that a clerk alone at a tiny desk
 * cannot be singled out; totals stay exact.
 *
 * Primary suppression hides those counts. Secondary suppression stops anyone
 * from computing a hidden count back from published figures: the report's
 * numbers are tied by additive relations, each a *group* of cells whose sum is
 * published or is itself a cell of the group:
 * - the three judgment cells of a row add up to its exact total;
 * - a parent cell is the sum of its children (service = its channels,
 *   desk = its services, negative votes = their reasons, ...).
 * A group with exactly one hidden cell gives that cell away (the known sum
 * minus the visible ones), so the smallest other visible cell of the group
 * (zero included; children before the parent on ties) is hidden too, and so
 * on until no group has exactly one hidden cell. This defeats every
 * single-relation subtraction; it is not a full linear-programming audit
 * of combinations of relations.
 */

export const DEFAULT_MIN_CELL_SIZE = 5;

/** Primary suppression: a count from 1 to `minCellSize - 1`. Zero is not hidden by itself. */
export function isSmallCount(count: number, minCellSize: number): boolean {
  return count > 0 && count < minCellSize;
}

/**
 * Which cells to hide. `counts[i]` is cell i; each group lists cell indices
 * tied by one additive relation (put a parent last so that, on equal counts,
 * a child is hidden rather than the parent). `hidden[i]` marks cells that are
 * never published (unknown from the start); `known[i]` marks cells whose value
 * (zero) the reader can deduce anyway: they are never hidden and give no cover,
 * so they count as visible. Deterministic.
 */
export function suppressCells(
  counts: readonly number[],
  groups: readonly (readonly number[])[],
  minCellSize: number,
  options: { hidden?: readonly boolean[]; known?: readonly boolean[] } = {},
): boolean[] {
  const { hidden = [], known = [] } = options;
  const suppressed = counts.map(
    (count, index) => known[index] !== true && (hidden[index] === true || isSmallCount(count, minCellSize)),
  );
  const groupsOfCell = counts.map((): number[] => []);
  for (const [groupIndex, group] of groups.entries()) {
    for (const cell of group) groupsOfCell[cell]?.push(groupIndex);
  }
  const queue = groups.map((_, index) => index);
  for (let position = 0; position < queue.length; position += 1) {
    const cell = cellToHide(groups[queue[position] ?? 0] ?? [], counts, suppressed, known);
    if (cell === null) continue;
    suppressed[cell] = true;
    queue.push(...(groupsOfCell[cell] ?? []));
  }
  return suppressed;
}

/** The cell a group must also hide, or null when it has none or at least two hidden already. */
function cellToHide(
  group: readonly number[],
  counts: readonly number[],
  suppressed: readonly boolean[],
  known: readonly boolean[],
): number | null {
  let hiddenCells = 0;
  let smallest: number | null = null;
  for (const cell of group) {
    if (suppressed[cell]) hiddenCells += 1;
    else if (known[cell]) continue;
    else if (smallest === null || (counts[cell] ?? 0) < (counts[smallest] ?? 0)) smallest = cell;
  }
  return hiddenCells === 1 ? smallest : null;
}

/**
 * Collects the cells of a whole report and the relations between them, then
 * decides suppression once for all of them (secondary suppression crosses
 * tables: hiding a service's cell may require hiding one of its desk's).
 */
export interface CellSheet {
  /** Registers a count; a `hidden` cell is never published but takes part in relations. */
  add(count: number, options?: { hidden?: boolean }): number;
  /** The cells of a row add up to its exact, published `total`. */
  row(cells: readonly number[], total: number): void;
  /** `parent` is the sum of `children`. */
  sum(parent: number, children: readonly number[]): void;
  count(cell: number): number;
  /** Decides suppression; call once, after every cell and relation is in. */
  solve(minCellSize: number): (cell: number) => boolean;
}

export function createCellSheet(): CellSheet {
  const counts: number[] = [];
  const hidden: boolean[] = [];
  const known: boolean[] = [];
  const groups: number[][] = [];
  const sums: Array<{ parent: number; children: readonly number[] }> = [];
  return {
    add(count, options = {}) {
      counts.push(count);
      hidden.push(options.hidden === true);
      known.push(false);
      return counts.length - 1;
    },
    row(cells, total) {
      groups.push([...cells]);
      // A row with an exact total of 0 is all zeros, whatever is printed.
      if (total === 0) for (const cell of cells) known[cell] = !hidden[cell];
    },
    sum(parent, children) {
      groups.push([...children, parent]);
      sums.push({ parent, children: [...children] });
    },
    count: (cell) => counts[cell] ?? 0,
    solve(minCellSize) {
      const forced = [...hidden];
      for (;;) {
        const suppressed = suppressCells(counts, groups, minCellSize, { hidden: forced, known });
        if (!closeZeroLeaks(sums, counts, suppressed, forced, known)) return (cell) => suppressed[cell] === true;
      }
    },
  };
}

/**
 * Counts are never negative, so zeros leak: the children of a published or
 * known zero are all zero, and a parent whose children are all known zeros is
 * zero. Such deduced zeros give no cover. So the children of a known zero and
 * the parent of known zeros become known, and a parent that is a published
 * zero above a hidden child is hidden too (`forced`); suppression is then
 * decided again. Returns whether
 * anything changed.
 */
function closeZeroLeaks(
  sums: ReadonlyArray<{ parent: number; children: readonly number[] }>,
  counts: readonly number[],
  suppressed: readonly boolean[],
  forced: boolean[],
  known: boolean[],
): boolean {
  let changed = false;
  for (const { parent, children } of sums) {
    if (known[parent]) {
      for (const child of children.filter((c) => !known[c] && !forced[c])) {
        known[child] = true;
        changed = true;
      }
    } else if (forced[parent]) {
    } else if (children.every((child) => known[child])) {
      known[parent] = true;
      changed = true;
    } else if (!suppressed[parent] && counts[parent] === 0 && children.some((child) => suppressed[child])) {
      forced[parent] = true;
      changed = true;
    }
  }
  return changed;
}

/**
 * A published cell: the count and its share of `rowTotal`, or neither when
 * suppressed. `rowTotal` is null when the row's total is itself hidden (the
 * reasons of a hidden negative count), since a percentage would reveal it.
 */
export function publishCell(count: number, suppressed: boolean, rowTotal: number | null): Cell {
  if (suppressed) return { count: null, suppressed: true, percent: null };
  return { count, suppressed: false, percent: rowTotal === null ? null : percentOf(count, rowTotal) };
}
