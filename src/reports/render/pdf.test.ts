import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPdf } from "./pdf.js";
import { largeReport, SAMPLE_SERVICES, sampleReport } from "./pdf-fixtures.js";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "../../..");

/** poppler-utils (pdftotext, pdfinfo, pdffonts) read the PDF as a reader would. */
const poppler = spawnSync("pdftotext", ["-v"]).status === 0;

let workDir = "";
let fileCount = 0;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "faccia-pdf-"));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function tool(name: string, bytes: Uint8Array, args: string[] = []): Promise<string> {
  const file = join(workDir, `report-${++fileCount}.pdf`);
  await writeFile(file, bytes);
  const { stdout } = await run(name, [...args, file, ...(name === "pdftotext" ? ["-"] : [])], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** Extracted text with runs of whitespace collapsed, so wrapped lines and column gaps compare as one space. */
async function flatText(bytes: Uint8Array): Promise<string> {
  return (await tool("pdftotext", bytes, ["-layout"])).replace(/\s+/g, " ");
}

async function pdfInfo(bytes: Uint8Array): Promise<Record<string, string>> {
  const out = await tool("pdfinfo", bytes);
  return Object.fromEntries(
    out.split("\n").flatMap((line) => {
      const match = /^([^:]+):\s*(.*)$/.exec(line);
      return match?.[1] === undefined ? [] : [[match[1], match[2] ?? ""]];
    }),
  );
}

describe("renderPdf determinism", () => {
  it("gives byte-identical output when the same report is rendered twice", async () => {
    const first = await renderPdf(sampleReport());
    const second = await renderPdf(sampleReport());
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });

  it("gives byte-identical output for a large and an English report", async () => {
    for (const report of [largeReport(), sampleReport({ language: "en" })]) {
      const first = await renderPdf(report);
      expect(Buffer.from(await renderPdf(report)).equals(Buffer.from(first))).toBe(true);
    }
  });

  it("gives the same bytes in a separate process, where no in-process cache is shared", async () => {
    // Bundle a tiny entry point with esbuild (a dev dependency) and run it with plain node.
    const { build } = await import("esbuild");
    const bundle = await build({
      stdin: {
        contents: `import { renderPdf } from "./pdf.ts"; import { sampleReport } from "./pdf-fixtures.ts";
          process.stdout.write(Buffer.from(await renderPdf(sampleReport())).toString("base64"));`,
        resolveDir: here,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      write: false,
    });
    const code = bundle.outputFiles[0]?.text ?? "";
    // Evaluated from the repository root so that pdfkit and the fonts resolve from node_modules.
    const child = await run(process.execPath, ["--input-type=module", "-e", code], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
    });
    const inProcess = Buffer.from(await renderPdf(sampleReport()));
    expect(Buffer.from(child.stdout, "base64").equals(inProcess)).toBe(true);
  });

  it("takes the document dates from generatedAt and writes the language on the catalog", async () => {
    const source = Buffer.from(await renderPdf(sampleReport(), { compress: false })).toString("latin1");
    // pdfkit writes each info value as its own object: /CreationDate n 0 R … (D:…).
    expect(source).toMatch(/\/CreationDate \d+ 0 R/);
    expect(source.match(/\(D:20261101020000Z\)/g)).toHaveLength(2);
    expect(source).toContain("/Lang (it-IT)");
    const english = Buffer.from(await renderPdf(sampleReport({ language: "en" }), { compress: false }));
    expect(english.toString("latin1")).toContain("/Lang (en-GB)");
  });

  it("rejects a report whose generatedAt is not a date", async () => {
    await expect(renderPdf(sampleReport({ generatedAt: "yesterday" }))).rejects.toThrow(/generatedAt/);
  });
});

it.runIf(process.env.CI)("has poppler-utils available in CI", () => {
  expect(poppler, "install poppler-utils (pdftotext, pdfinfo, pdffonts)").toBe(true);
});

describe.skipIf(!poppler)("renderPdf as read by poppler-utils (skipped where pdftotext is not installed)", () => {
  it("has extractable text with the entity, period, legal basis, services and key figures", async () => {
    const report = sampleReport();
    const text = await flatText(await renderPdf(report));
    expect(text).toContain("Comune di Vallecupa");
    expect(text).toContain("c_z999");
    expect(text).toContain("ottobre 2026 (2026-10)");
    expect(text).toContain("dal 1 ottobre 2026 al 31 ottobre 2026");
    for (const line of report.legalBasis) expect(text).toContain(line);
    for (const service of SAMPLE_SERVICES) expect(text).toContain(service.name);
    expect(report.totals.total).toBe(1131);
    expect(report.totals.satisfactionIndex).toBe(69.2);
    expect(text).toMatch(/Voti totali .*1\.131/);
    expect(text).toMatch(/Totale 783 69,2% 230 20,3% 118 10,4% 1\.131 69,2%/);
    expect(text).toContain("Generato il 1 novembre 2026, 03:00 (Europe/Rome)");
    expect(text).toContain("Faccia 0.1.0");
  });

  it("shows suppressed cells as <5 with no share, and exact totals", async () => {
    const text = await flatText(await renderPdf(sampleReport()));
    expect(text).toMatch(/Pubblicazioni di matrimonio 11 73,3% <5 – <5 – 15 73,3%/);
  });

  it("sets title, author, creator and dates in the document information", async () => {
    const info = await pdfInfo(await renderPdf(sampleReport()));
    expect(info.Title).toBe("Rapporto sulla soddisfazione degli utenti – Comune di Vallecupa – ottobre 2026");
    expect(info.Author).toBe("Comune di Vallecupa");
    expect(info.Creator).toBe("Faccia 0.1.0");
    expect(info.Producer).toBe("Faccia 0.1.0");
    expect(info.Keywords).toContain("c_z999");
    expect(info["Page size"]).toContain("(A4)");
    expect(Number(info.Pages)).toBeGreaterThanOrEqual(4);
  });

  it("embeds every font it uses", async () => {
    const report = sampleReport({
      entity: { ipaCode: "c_d324", name: "Duino Aurisina – Devin Nabrežina", timezone: "Europe/Rome" },
    });
    const rows = (await tool("pdffonts", await renderPdf(report)))
      .split("\n")
      .slice(2)
      .filter((l) => l.trim() !== "");
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      expect(row).toMatch(/TitilliumWeb-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    }
  });

  it("renders names outside the latin subset with the latin-ext face, and unknown scripts as '?'", async () => {
    const name = "Občina Duino Aurisina – Devin Nabrežina Ж";
    const report = sampleReport({ entity: { ipaCode: "c_d324", name, timezone: "Europe/Rome" } });
    const text = await flatText(await renderPdf(report));
    expect(text).toContain("Občina Duino Aurisina – Devin Nabrežina ?");
  });

  it("uses English headings, numbers and page labels for an English report", async () => {
    const bytes = await renderPdf(sampleReport({ language: "en" }));
    const text = await flatText(bytes);
    for (const heading of ["User satisfaction report", "Legal basis", "Summary", "Ratings by service"]) {
      expect(text).toContain(heading);
    }
    for (const heading of ["Results by office", "Reasons for negative ratings", "Data quality", "Page 1 of"]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain("October 2026 (2026-10)");
    expect(text).toMatch(/Total 783 69\.2% 230 20\.3% 118 10\.4% 1,131 69\.2%/);
    expect(text).not.toContain("Pagina");
    expect((await pdfInfo(bytes)).Title).toBe("User satisfaction report – Comune di Vallecupa – October 2026");
  });

  it("paginates a large report with 'Pagina N di M' on every page and repeated table headers", async () => {
    const report = largeReport(40, 60);
    const bytes = await renderPdf(report);
    const pageCount = Number((await pdfInfo(bytes)).Pages);
    const pages = (await tool("pdftotext", bytes, ["-layout"])).split("\f").slice(0, pageCount);
    expect(pageCount).toBeGreaterThanOrEqual(6);
    pages.forEach((page, i) => {
      expect(page).toContain(`Pagina ${i + 1} di ${pageCount}`);
    });
    const first = pages.findIndex((page) => page.includes("Risultati per ufficio"));
    const after = pages.findIndex((page) => page.includes("Motivi dei giudizi negativi"));
    expect(after - first).toBeGreaterThanOrEqual(2);
    for (const page of pages.slice(first, after)) expect(page).toMatch(/Sportello \/ servizio\s+Positivo/);
    const text = pages.join(" ").replace(/\s+/g, " ");
    for (let i = 1; i <= 40; i++) expect(text).toContain(`Servizio ${String(i).padStart(2, "0")}`);
    expect(text).toContain("Totem 60");
  });
});
