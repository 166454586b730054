import { inflateSync } from "node:zlib";

/**
 * Decodes a WOFF 1.0 file into the plain sfnt (TrueType/OpenType) it wraps.
 *
 * Why: fontkit (inside pdfkit) reads WOFF correctly but inflates tables again
 * for every document, which tripled the render time in measurements; a plain
 * TrueType buffer is parsed lazily and cheaply. Decoding once per process and
 * handing pdfkit the sfnt keeps the output identical (same tables, same glyphs).
 *
 * W3C WOFF 1.0 §3 (header, 44 bytes), §4 (table directory, 20 bytes per entry),
 * §5 (table data: zlib-compressed when compLength < origLength).
 */
export function decodeWoff(woff: Buffer): Buffer {
  if (woff.toString("latin1", 0, 4) !== "wOFF") throw new Error("not a WOFF 1.0 font");
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : raw;
    return { tag: woff.readUInt32BE(at), checksum: woff.readUInt32BE(at + 16), data };
  });
  return writeSfnt(woff.readUInt32BE(4), tables);
}

interface SfntTable {
  tag: number;
  checksum: number;
  data: Buffer;
}

/** OpenType §"Organization of an OpenType font": offset table, table records, 4-byte aligned data. */
function writeSfnt(flavor: number, tables: SfntTable[]): Buffer {
  const headerSize = 12 + 16 * tables.length;
  const size = tables.reduce((sum, t) => sum + align4(t.data.length), headerSize);
  const out = Buffer.alloc(size);
  const entrySelector = Math.floor(Math.log2(tables.length));
  const searchRange = 16 * 2 ** entrySelector;
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(tables.length, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(tables.length * 16 - searchRange, 10);
  let offset = headerSize;
  tables.forEach((table, i) => {
    const record = 12 + i * 16;
    out.writeUInt32BE(table.tag, record);
    out.writeUInt32BE(table.checksum, record + 4);
    out.writeUInt32BE(offset, record + 8);
    out.writeUInt32BE(table.data.length, record + 12);
    table.data.copy(out, offset);
    offset += align4(table.data.length);
  });
  return out;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * The code points a TrueType font maps to a real glyph, read from its `cmap`
 * (OpenType "cmap" table: formats 4 and 12). Used to pick, per character,
 * between the latin and latin-ext subsets of the same family.
 */
export function readCoverage(sfnt: Buffer): Set<number> {
  const cmap = findTable(sfnt, "cmap");
  const count = sfnt.readUInt16BE(cmap + 2);
  const covered = new Set<number>();
  for (let i = 0; i < count; i++) {
    const record = cmap + 4 + i * 8;
    const platform = sfnt.readUInt16BE(record);
    const encoding = sfnt.readUInt16BE(record + 2);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const sub = cmap + sfnt.readUInt32BE(record + 4);
    const format = sfnt.readUInt16BE(sub);
    if (format === 4) addFormat4(sfnt, sub, covered);
    if (format === 12) addFormat12(sfnt, sub, covered);
  }
  return covered;
}

function findTable(sfnt: Buffer, tag: string): number {
  const numTables = sfnt.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    if (sfnt.toString("latin1", record, record + 4) === tag) return sfnt.readUInt32BE(record + 8);
  }
  throw new Error(`font has no ${tag} table`);
}

/** cmap format 4: segment arrays endCode, startCode, idDelta, idRangeOffset (glyph 0 = missing). */
function addFormat4(sfnt: Buffer, sub: number, covered: Set<number>): void {
  const segCount = sfnt.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + segCount * 2 + 2;
  const deltas = starts + segCount * 2;
  const rangeOffsets = deltas + segCount * 2;
  for (let s = 0; s < segCount; s++) {
    const end = sfnt.readUInt16BE(ends + s * 2);
    const delta = sfnt.readInt16BE(deltas + s * 2);
    const rangeAt = rangeOffsets + s * 2;
    const rangeOffset = sfnt.readUInt16BE(rangeAt);
    for (let c = sfnt.readUInt16BE(starts + s * 2); c <= end && c !== 0xffff; c++) {
      const start = sfnt.readUInt16BE(starts + s * 2);
      const glyph =
        rangeOffset === 0 ? (c + delta) & 0xffff : sfnt.readUInt16BE(rangeAt + rangeOffset + (c - start) * 2);
      if (glyph !== 0) covered.add(c);
    }
  }
}

/** cmap format 12: sequential map groups (startCharCode, endCharCode, startGlyphID). */
function addFormat12(sfnt: Buffer, sub: number, covered: Set<number>): void {
  const groups = sfnt.readUInt32BE(sub + 12);
  for (let g = 0; g < groups; g++) {
    const at = sub + 16 + g * 12;
    const startGlyph = sfnt.readUInt32BE(at + 8);
    const start = sfnt.readUInt32BE(at);
    for (let c = start; c <= sfnt.readUInt32BE(at + 4); c++) {
      if (startGlyph + (c - start) !== 0) covered.add(c);
    }
  }
}
