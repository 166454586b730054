/**
 * A small seeded pseudo-random generator for synthetic data: the same seed
 * gives the same data on every machine. Not for anything secret.
 *
 * sfc32 (Chris Doty-Humphrey's "small fast counter", PractRand-clean) keeps
 * 128 bits of state, seeded through splitmix32. mulberry32 alone has only
 * 2^32 states, so the streams of two seeds are shifted copies of one cycle
 * and the UUIDs drawn from them would collide after a few million draws.
 */
export interface Random {
  /** A uniform 32-bit unsigned integer. */
  uint32(): number;
  /** A uniform float in [0, 1). */
  next(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** A uniform float in [min, max). */
  between(min: number, max: number): number;
  /** true with probability `p`. */
  chance(p: number): boolean;
}

/** splitmix32: spreads a 32-bit seed over the generator's state words. */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A deterministic generator for `seed` (any integer; only its low 32 bits
 * count). `stream` picks an independent sequence for the same seed.
 *
 * @example
 * const random = createRandom(42);
 * random.int(6); // the same die roll on every run
 */
export function createRandom(seed: number, stream = 0): Random {
  const init = splitmix32((seed ^ Math.imul(stream, 0x27d4eb2d)) >>> 0);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) uint32();
  const next = (): number => uint32() / 4_294_967_296;
  return {
    uint32,
    next,
    int: (n) => Math.floor(next() * n),
    between: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
  };
}

/** FNV-1a over `key`, mixed with `seed`: a stable number in [0, 1) per (seed, key). */
export function hashToUnit(seed: number, key: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return splitmix32(hash)() / 4_294_967_296;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex32(word: number): string {
  return `${HEX[(word >>> 24) & 0xff]}${HEX[(word >>> 16) & 0xff]}${HEX[(word >>> 8) & 0xff]}${HEX[word & 0xff]}`;
}

/**
 * A version 4 UUID (RFC 9562 §5.4: version nibble 4, variant bits 10) whose
 * 122 random bits come from `random`, so a seed always yields the same ids.
 */
export function randomUuid(random: Random): string {
  const w0 = hex32(random.uint32());
  const w1 = hex32(((random.uint32() & 0xffff0fff) | 0x00004000) >>> 0);
  const w2 = hex32(((random.uint32() & 0x3fffffff) | 0x80000000) >>> 0);
  const w3 = hex32(random.uint32());
  return `${w0}-${w1.slice(0, 4)}-${w1.slice(4)}-${w2.slice(0, 4)}-${w2.slice(4)}${w3}`;
}

/** A cumulative weight table for drawing indices in O(log n). */
export interface WeightedTable {
  readonly cumulative: Float64Array;
  readonly total: number;
}

export function weightedTable(weights: readonly number[]): WeightedTable {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, i) => {
    total += Math.max(0, weight);
    cumulative[i] = total;
  });
  return { cumulative, total };
}

/** An index drawn with probability proportional to its weight. */
export function drawIndex(table: WeightedTable, random: Random): number {
  const target = random.next() * table.total;
  const { cumulative } = table;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cumulative[mid] as number) > target) high = mid;
    else low = mid + 1;
  }
  return low;
}
