import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { decodeWoff, readCoverage } from "./sfnt.js";

/** The two weights the report uses. */
export type Weight = "regular" | "bold";

/**
 * Titillium Web (SIL OFL 1.1, the typeface of the Italian public
 * administration's design system) from @fontsource/titillium-web. Fontsource
 * splits the family by Unicode subset: "latin" (ASCII, Latin-1, Italian) and
 * "latin-ext" (š, č, ž, ő… for Slovenian, German, Hungarian names), and the
 * ext file has no ASCII. Each weight is therefore two faces, and text is split
 * into runs by the face that has the glyph (see `splitRuns`).
 */
const FILES: Record<Weight, { latin: string; ext: string }> = {
  regular: { latin: "titillium-web-latin-400-normal.woff", ext: "titillium-web-latin-ext-400-normal.woff" },
  bold: { latin: "titillium-web-latin-700-normal.woff", ext: "titillium-web-latin-ext-700-normal.woff" },
};

interface Face {
  /** Name registered with pdfkit. */
  name: string;
  sfnt: Buffer;
  coverage: Set<number>;
}

type FontSet = Record<Weight, { latin: Face; ext: Face }>;

/** Decoded once per process, on first use (no import-time I/O). */
let fontSet: FontSet | undefined;

function loadFace(name: string, file: string): Face {
  const require = createRequire(import.meta.url);
  const sfnt = decodeWoff(readFileSync(require.resolve(`@fontsource/titillium-web/files/${file}`)));
  return { name, sfnt, coverage: readCoverage(sfnt) };
}

function fonts(): FontSet {
  fontSet ??= {
    regular: { latin: loadFace("regular", FILES.regular.latin), ext: loadFace("regular-ext", FILES.regular.ext) },
    bold: { latin: loadFace("bold", FILES.bold.latin), ext: loadFace("bold-ext", FILES.bold.ext) },
  };
  return fontSet;
}

/** Registers the four faces under fixed names; pdfkit embeds only the faces a page uses, subsetted. */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const weight of Object.values(fonts())) {
    doc.registerFont(weight.latin.name, weight.latin.sfnt);
    doc.registerFont(weight.ext.name, weight.ext.sfnt);
  }
}

/** A piece of text drawn with one registered face. */
export interface Run {
  font: string;
  text: string;
}

/**
 * Splits text into runs of the latin face and of the latin-ext face.
 * Fallback for a character neither face has (Cyrillic, CJK, math symbols):
 * its NFKD base letters when those are covered ("ǅ" → "DŽ"), otherwise U+FFFD
 * or, as Titillium's subsets lack U+FFFD, "?", so the text stays readable and
 * extractable rather than showing empty boxes that extract as nothing.
 */
export function splitRuns(text: string, weight: Weight): Run[] {
  const { latin, ext } = fonts()[weight];
  const runs: Run[] = [];
  for (const char of text) {
    for (const glyph of substitute(char, latin, ext)) {
      const font = latin.coverage.has(codePoint(glyph)) ? latin.name : ext.name;
      const last = runs.at(-1);
      if (last?.font === font) last.text += glyph;
      else runs.push({ font, text: glyph });
    }
  }
  return runs;
}

function substitute(char: string, latin: Face, ext: Face): string[] {
  const covered = (c: string) => latin.coverage.has(codePoint(c)) || ext.coverage.has(codePoint(c));
  if (covered(char) || /\s/.test(char)) return [char];
  const base = [...char.normalize("NFKD")].filter((c) => !/\p{M}/u.test(c));
  if (base.length > 0 && base.every(covered)) return base;
  return [latin.coverage.has(0xfffd) ? "\uFFFD" : "?"];
}

function codePoint(char: string): number {
  return char.codePointAt(0) ?? 0;
}
