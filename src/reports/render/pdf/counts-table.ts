import type { JudgmentCounts } from "../../domain/report-document.js";
import type { Catalogue } from "./catalogue.js";
import { formatCount, formatInteger, formatPercent } from "./format.js";
import type { Column } from "./table.js";

/** Columns shared by every table of votes per judgment: counts, shares, total, index. */
export function countsColumns(cat: Catalogue, first: string): Column[] {
  const { judgments } = cat;
  return [
    { header: first },
    { header: judgments.positive, width: 46, align: "right" },
    { header: cat.share, width: 36, align: "right" },
    { header: judgments.sufficient, width: 52, align: "right" },
    { header: cat.share, width: 36, align: "right" },
    { header: judgments.negative, width: 46, align: "right" },
    { header: cat.share, width: 36, align: "right" },
    { header: cat.total, width: 44, align: "right" },
    { header: cat.index, width: 40, align: "right" },
  ];
}

/** The cells after the name: suppressed counts read "<N" and their share "–"; totals are exact. */
export function countsCells(counts: JudgmentCounts, minCellSize: number, cat: Catalogue): string[] {
  const cell = (c: JudgmentCounts["positive"]) => [formatCount(c, minCellSize, cat), formatPercent(c.percent, cat)];
  return [
    ...cell(counts.positive),
    ...cell(counts.sufficient),
    ...cell(counts.negative),
    formatInteger(counts.total, cat),
    formatPercent(counts.satisfactionIndex, cat),
  ];
}
