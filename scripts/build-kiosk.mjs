#!/usr/bin/env node
/**
 * Builds the kiosk web app (src/kiosk/web) into static files the gateway
 * serves at /kiosk: one JS bundle, one stylesheet (both content-hashed),
 * index.html, the service worker with its precache list, manifest and icon.
 * Runs as part of `npm run build`, so `npm install` and `npm start` build it.
 *
 *   node scripts/build-kiosk.mjs [--out DIR] [--force]
 *
 * Skips the work when DIR already holds this exact version (the version is a
 * hash of every source file), so tests and `npm start` can call it freely.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = join(ROOT, "src", "kiosk", "web");
export const DEFAULT_OUT_DIR = join(ROOT, "dist", "kiosk");
/** Issue 3 §6: JS + CSS of the kiosk app at most 35 KB gzipped. */
export const SIZE_BUDGET_BYTES = 35 * 1024;
/** Browsers of cheap kiosk devices: nothing newer than what Chromium 80, Firefox 78 and Safari 15 (iPad kiosks) run. */
const TARGETS = ["chrome80", "edge80", "firefox78", "safari15"];

const sha256 = (data) => createHash("sha256").update(data).digest("hex");

async function sourceFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : [join(dir, e.name)])),
  );
  return nested
    .flat()
    .filter((f) => !f.endsWith(".test.ts"))
    .sort();
}

/**
 * The app version: package version plus a hash of every input (sources, this
 * script, idb), so any change makes a new service worker.
 */
async function appVersion() {
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
  const hash = createHash("sha256");
  const inputs = [...(await sourceFiles(SOURCE)), fileURLToPath(import.meta.url)];
  for (const file of inputs) hash.update(relative(ROOT, file)).update(await readFile(file));
  const idb = JSON.parse(await readFile(join(ROOT, "node_modules", "idb", "package.json"), "utf8"));
  hash.update(`idb@${idb.version}`);
  return `${pkg.version}+${hash.digest("hex").slice(0, 10)}`;
}

async function bundle(entry, define) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "iife",
    target: TARGETS,
    write: false,
    legalComments: "none",
    define,
    logLevel: "silent",
  });
  return result.outputFiles[0].contents;
}

/** The version already built in `outDir`, if any. */
async function builtVersion(outDir) {
  try {
    return JSON.parse(await readFile(join(outDir, "asset-manifest.json"), "utf8")).version;
  } catch {
    return null;
  }
}

/** `versionTag` marks a build apart from another of the same sources (tests of the update path). */
export async function buildKioskApp({ outDir = DEFAULT_OUT_DIR, force = false, versionTag = "" } = {}) {
  const version = `${await appVersion()}${versionTag ? `.${versionTag}` : ""}`;
  if (!force && (await builtVersion(outDir)) === version) {
    const manifest = JSON.parse(await readFile(join(outDir, "asset-manifest.json"), "utf8"));
    return { outDir, version, size: manifest.size, precache: manifest.precache, upToDate: true };
  }
  const define = { __APP_VERSION__: JSON.stringify(version) };
  const js = await bundle(join(SOURCE, "main.ts"), define);
  const css = Buffer.from(
    (
      await transform(await readFile(join(SOURCE, "styles.css"), "utf8"), {
        loader: "css",
        minify: true,
        target: TARGETS,
      })
    ).code,
  );
  const jsName = `assets/app.${sha256(js).slice(0, 12)}.js`;
  const cssName = `assets/app.${sha256(css).slice(0, 12)}.css`;
  const html = (await readFile(join(SOURCE, "index.html"), "utf8"))
    .replace("%SCRIPT%", `/kiosk/${jsName}`)
    .replace("%STYLES%", `/kiosk/${cssName}`)
    .replace("%VERSION%", version);
  const manifest = JSON.stringify({
    name: "Faccia — Mettiamoci la faccia",
    short_name: "Faccia",
    lang: "it",
    start_url: "/kiosk/",
    scope: "/kiosk",
    display: "fullscreen",
    background_color: "#ffffff",
    theme_color: "#0066cc",
    icons: [{ src: "/kiosk/icon.svg", sizes: "any", type: "image/svg+xml" }],
  });
  const icon = await readFile(join(SOURCE, "icon.svg"));
  const precache = [
    "/kiosk/",
    `/kiosk/${jsName}`,
    `/kiosk/${cssName}`,
    "/kiosk/manifest.webmanifest",
    "/kiosk/icon.svg",
  ];
  const sw = await bundle(join(SOURCE, "sw", "sw.ts"), { ...define, __PRECACHE__: JSON.stringify(precache) });

  const files = {
    "index.html": { body: Buffer.from(html), type: "text/html; charset=utf-8", immutable: false },
    "sw.js": { body: Buffer.from(sw), type: "text/javascript; charset=utf-8", immutable: false },
    "manifest.webmanifest": { body: Buffer.from(manifest), type: "application/manifest+json", immutable: false },
    "icon.svg": { body: icon, type: "image/svg+xml", immutable: false },
    [jsName]: { body: Buffer.from(js), type: "text/javascript; charset=utf-8", immutable: true },
    [cssName]: { body: css, type: "text/css; charset=utf-8", immutable: true },
  };
  // Written beside the target and swapped in, so a running gateway never reads half a build.
  const staging = `${outDir}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, "assets"), { recursive: true });
  const index = {};
  for (const [name, file] of Object.entries(files)) {
    await writeFile(join(staging, name), file.body);
    index[name] = { type: file.type, immutable: file.immutable, sha256: sha256(file.body), bytes: file.body.length };
  }
  const size = { js: js.length, css: css.length, gzip: gzipSync(js).length + gzipSync(css).length };
  const manifestJson = JSON.stringify({ version, files: index, size, precache }, null, 2);
  await writeFile(join(staging, "asset-manifest.json"), `${manifestJson}\n`);
  const previous = `${outDir}.previous-${process.pid}`;
  await rename(outDir, previous).catch(() => undefined);
  await rename(staging, outDir);
  await rm(previous, { recursive: true, force: true });
  return { outDir, version, size, precache, upToDate: false };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--out");
  const outDir = at > 0 ? resolve(process.argv[at + 1]) : DEFAULT_OUT_DIR;
  const { version, size, upToDate } = await buildKioskApp({ outDir, force: process.argv.includes("--force") });
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `kiosk app ${version} → ${relative(process.cwd(), outDir) || "."}${upToDate ? " (up to date)" : ""}: ` +
      `JS ${kb(size.js)}, CSS ${kb(size.css)}, ${kb(size.gzip)} gzipped (budget ${kb(SIZE_BUDGET_BYTES)})`,
  );
  if (size.gzip > SIZE_BUDGET_BYTES) {
    console.error("kiosk app is over its size budget (issue 3 §6)");
    process.exit(1);
  }
}
