import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { samlSpKeys } from "../../../test/support/saml-sp-keys.js";
import { type SamlSigningCredential, signEnveloped } from "../saml/index.js";
import { createIdpRegistry, type IdpDescriptor, type IdpRegistryOptions, type IdpSource } from "./index.js";

const FIXTURES = new URL("../../../test/fixtures/saml/idp-registry/", import.meta.url);
const SPID_XML = readFileSync(new URL("spid-entities-idps.xml", FIXTURES), "utf8");
const CIE_XML = readFileSync(new URL("cie-idp-metadata.xml", FIXTURES), "utf8");
const SPID_URL = "https://registry.spid.test/entities-idp";
const CIE_URL = "https://idserver.cie.test/idp/shibboleth?Metadata";
const SOURCES: IdpSource[] = [
  { federation: "spid", location: SPID_URL },
  { federation: "cie", location: CIE_URL },
];
const NOW = () => new Date("2027-03-01T10:00:00Z");

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Serves each URL with the next response of its list (the last one repeats); counts requests. */
function serve(responses: Record<string, (() => Response)[]>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [url, list] of Object.entries(responses)) {
    counts[url] = 0;
    server.use(
      http.get(url.split("?")[0] ?? url, () => {
        const index = Math.min(counts[url] ?? 0, list.length - 1);
        counts[url] = (counts[url] ?? 0) + 1;
        return list[index]?.() ?? HttpResponse.error();
      }),
    );
  }
  return counts;
}

const xml = (body: string) => () => HttpResponse.xml(body);
const status = (code: number) => () => new HttpResponse("errore interno", { status: code });
const down = () => () => HttpResponse.error();

function recordingLog() {
  const lines: { level: "info" | "warn"; message: string; fields: object }[] = [];
  return {
    lines,
    log: {
      info: (fields: object, message: string) => lines.push({ level: "info", message, fields }),
      warn: (fields: object, message: string) => lines.push({ level: "warn", message, fields }),
    },
  };
}

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), "idp-registry-"));
});
afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

function registry(options: Partial<IdpRegistryOptions> = {}) {
  return createIdpRegistry({ sources: SOURCES, cacheDir, now: NOW, ...options });
}

const names = (idps: readonly IdpDescriptor[]) => idps.map((idp) => idp.displayName);

describe("createIdpRegistry: happy path", () => {
  it("loads SPID and CIE metadata from their URLs and lists the IdPs in Italian order", async () => {
    serve({ [SPID_URL]: [xml(SPID_XML)], [CIE_URL]: [xml(CIE_XML)] });
    const idps = registry();
    expect(await idps.refresh()).toEqual([
      { federation: "spid", location: SPID_URL, ok: true, count: 3 },
      { federation: "cie", location: CIE_URL, ok: true, count: 1 },
    ]);
    // Code-unit order would put "Èlite" after "Zeta".
    expect(names(idps.list("spid"))).toEqual(["Alfa ID", "Èlite ID", "Zeta Trust SPID"]);
    expect(names(idps.list("cie"))).toEqual(["CieID (test)"]);
    expect(idps.get("spid", "https://spid.zeta.test")?.singleSignOn.redirect).toBe("https://spid.zeta.test/idp/login");
    expect(idps.get("cie", "https://spid.zeta.test")).toBeUndefined();
  });

  it("writes the last good copy of each source to the cache directory, atomically named per location", async () => {
    serve({ [SPID_URL]: [xml(SPID_XML)], [CIE_URL]: [xml(CIE_XML)] });
    await registry().refresh();
    const files = (await readdir(cacheDir)).sort();
    expect(files).toEqual([
      expect.stringMatching(/^cie-[0-9a-f]{32}\.xml$/),
      expect.stringMatching(/^spid-[0-9a-f]{32}\.xml$/),
    ]);
    expect(await readFile(join(cacheDir, files[1] ?? ""), "utf8")).toBe(SPID_XML);
  });

  it("reads a plain path and a file: URL", async () => {
    const path = join(cacheDir, "cie.xml");
    await writeFile(path, CIE_XML);
    const idps = createIdpRegistry({
      sources: [
        { federation: "cie", location: path },
        { federation: "spid", location: pathToFileURL(new URL("spid-entities-idps.xml", FIXTURES).pathname).href },
      ],
      now: NOW,
    });
    expect((await idps.refresh()).map((result) => [result.ok, result.count])).toEqual([
      [true, 1],
      [true, 3],
    ]);
  });

  it("lists a locally added IdP with the downloaded ones, also after a refresh", async () => {
    serve({ [SPID_URL]: [xml(SPID_XML)], [CIE_URL]: [xml(CIE_XML)] });
    const idps = registry();
    const local: IdpDescriptor = {
      federation: "spid",
      entityId: "http://localhost:3000/dev-idp",
      displayName: "Beta IdP di sviluppo",
      signingCertificates: [new Uint8Array([1])],
      singleSignOn: { post: "http://localhost:3000/dev-idp/sso" },
      singleLogout: {},
    };
    idps.addLocal(local);
    expect(names(idps.list("spid"))).toEqual(["Beta IdP di sviluppo"]);
    await idps.refresh();
    expect(names(idps.list("spid"))).toEqual(["Alfa ID", "Beta IdP di sviluppo", "Èlite ID", "Zeta Trust SPID"]);
    expect(idps.get("spid", local.entityId)).toEqual(local);
  });

  it("makes one download for refreshes asked for while one is running", async () => {
    const counts = serve({ [SPID_URL]: [xml(SPID_XML)], [CIE_URL]: [xml(CIE_XML)] });
    const idps = registry();
    const [first, second] = [idps.refresh(), idps.refresh()];
    expect(second).toBe(first);
    await first;
    expect(counts[SPID_URL]).toBe(1);
  });

  it("passes a timeout signal to fetch", async () => {
    const fetch = vi.fn(async (_input: string | URL | Request, _init?: RequestInit) => new Response(CIE_XML));
    await createIdpRegistry({ sources: [SOURCES[1] as IdpSource], fetch, now: NOW }).refresh();
    expect(fetch.mock.calls[0]?.[1]?.signal).toBeInstanceOf(AbortSignal);
  });
});

describe("createIdpRegistry: failures keep the last good copy", () => {
  it("keeps the previous IdPs when the registry answers 500, and reports and logs the failure", async () => {
    serve({ [SPID_URL]: [xml(SPID_XML), status(500)], [CIE_URL]: [xml(CIE_XML)] });
    const { log, lines } = recordingLog();
    const idps = registry({ log });
    await idps.refresh();
    const second = await idps.refresh();
    expect(second[0]).toEqual({
      federation: "spid",
      location: SPID_URL,
      ok: false,
      count: 3,
      error: "HTTP 500 from https://registry.spid.test",
    });
    expect(names(idps.list("spid"))).toEqual(["Alfa ID", "Èlite ID", "Zeta Trust SPID"]);
    expect(lines).toContainEqual({
      level: "warn",
      message: "idp metadata refresh failed",
      fields: expect.objectContaining({ federation: "spid", error: "HTTP 500 from https://registry.spid.test" }),
    });
  });

  it.each([
    ["an HTML page", "<html><body>Manutenzione</body></html>", /not SAML metadata/],
    ["a truncated document", SPID_XML.slice(0, 2000), /not well-formed/],
    [
      "metadata without a usable IdP",
      SPID_XML.replace(/<md:EntityDescriptor ID="_alfa"[\s\S]*(?=<md:EntityDescriptor ID="_delta")/, ""),
      /no usable IdP/,
    ],
    ["a DOCTYPE", `<!DOCTYPE x [<!ENTITY a "b">]>${SPID_XML.replace(/^<\?xml[^>]*\?>/, "")}`, /DTD/],
  ])("keeps the previous IdPs and the cache file when the body is %s", async (_name, body, error) => {
    serve({
      [SPID_URL]: [xml(SPID_XML), () => new HttpResponse(body, { headers: { "content-type": "text/xml" } })],
      [CIE_URL]: [xml(CIE_XML)],
    });
    const idps = registry();
    await idps.refresh();
    const [spid] = await idps.refresh();
    expect(spid).toMatchObject({ ok: false, count: 3, error: expect.stringMatching(error) });
    expect(idps.list("spid")).toHaveLength(3);
    const cached = (await readdir(cacheDir)).find((file) => file.startsWith("spid-")) ?? "";
    expect(await readFile(join(cacheDir, cached), "utf8")).toBe(SPID_XML);
  });

  it("loads the cache file after a restart while the URL is down", async () => {
    serve({ [SPID_URL]: [xml(SPID_XML)], [CIE_URL]: [xml(CIE_XML)] });
    await registry().refresh();
    serve({ [SPID_URL]: [down()], [CIE_URL]: [status(503)] });
    const { log, lines } = recordingLog();
    const restarted = registry({ log });
    const results = await restarted.refresh();
    expect(results.map((result) => [result.ok, result.count])).toEqual([
      [false, 3],
      [false, 1],
    ]);
    expect(names(restarted.list("spid"))).toEqual(["Alfa ID", "Èlite ID", "Zeta Trust SPID"]);
    expect(lines).toContainEqual({
      level: "info",
      message: "idp metadata loaded",
      fields: expect.objectContaining({ federation: "spid", origin: "cache", count: 3 }),
    });
  });

  it("has nothing to offer when the URL is down and there is no cache", async () => {
    serve({ [SPID_URL]: [down()], [CIE_URL]: [down()] });
    const idps = registry();
    expect((await idps.refresh()).map((result) => [result.ok, result.count])).toEqual([
      [false, 0],
      [false, 0],
    ]);
    expect(idps.list("spid")).toEqual([]);
  });

  it.each([
    [
      "declared by Content-Length",
      () => new HttpResponse(SPID_XML, { headers: { "content-length": String(Buffer.byteLength(SPID_XML)) } }),
      /over 8000 bytes \(Content-Length \d+\)/,
    ],
    [
      "streamed without Content-Length",
      () =>
        new HttpResponse(
          new ReadableStream({
            start(controller) {
              for (let i = 0; i < 10; i += 1) controller.enqueue(new TextEncoder().encode(CIE_XML));
              controller.close();
            },
          }),
        ),
      /^metadata is over 8000 bytes$/,
    ],
  ])("refuses a document over maxBytes, %s", async (_name, response, error) => {
    serve({ [SPID_URL]: [response] });
    const idps = registry({ sources: [SOURCES[0] as IdpSource], maxBytes: 8_000 });
    const [spid] = await idps.refresh();
    expect(spid).toMatchObject({ ok: false, count: 0, error: expect.stringMatching(error) });
  });

  it("refuses a metadata file over maxBytes", async () => {
    const path = join(cacheDir, "big.xml");
    await writeFile(path, SPID_XML);
    const idps = createIdpRegistry({ sources: [{ federation: "spid", location: path }], maxBytes: 8_000, now: NOW });
    expect((await idps.refresh())[0]).toMatchObject({ ok: false, error: "metadata file is over 8000 bytes" });
  });
});

describe("createIdpRegistry: signed metadata", () => {
  let signer: SamlSigningCredential;
  let other: SamlSigningCredential;
  const unsignedSpid = SPID_XML.replace(/<!--[\s\S]*?-->\s*/, "");
  beforeAll(async () => {
    [signer, other] = await Promise.all([
      samlSpKeys().then((k) => k.credential),
      samlSpKeys().then((k) => k.credential),
    ]);
  });
  const signedRegistry = () =>
    registry({
      sources: [
        { federation: "spid", location: SPID_URL, signerPem: new X509Certificate(signer.certificate).toString() },
      ],
    });

  it("loads metadata signed by the configured signer", async () => {
    serve({ [SPID_URL]: [xml(signEnveloped(unsignedSpid, signer, "first-child"))] });
    const [spid] = await signedRegistry().refresh();
    expect(spid).toEqual({ federation: "spid", location: SPID_URL, ok: true, count: 3 });
  });

  it.each([
    ["unsigned", () => unsignedSpid, /not signed/],
    ["signed by someone else", () => signEnveloped(unsignedSpid, other, "first-child"), /does not verify/],
    [
      "tampered with after signing",
      () =>
        signEnveloped(unsignedSpid, signer, "first-child").replace(
          "https://spid.zeta.test/idp/login",
          "https://evil.test/login",
        ),
      /does not verify/,
    ],
  ])("refuses metadata %s", async (_name, body, error) => {
    serve({ [SPID_URL]: [() => HttpResponse.xml(body())] });
    const idps = signedRegistry();
    const [spid] = await idps.refresh();
    expect(spid).toMatchObject({ ok: false, count: 0, error: expect.stringMatching(error) });
    expect(idps.list("spid")).toEqual([]);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it("does not trust a cache file that was changed on disk", async () => {
    serve({ [SPID_URL]: [xml(signEnveloped(unsignedSpid, signer, "first-child"))] });
    await signedRegistry().refresh();
    const [file] = await readdir(cacheDir);
    const path = join(cacheDir, file ?? "");
    await writeFile(
      path,
      (await readFile(path, "utf8")).replace("https://spid.zeta.test/idp/login", "https://evil.test/login"),
    );
    serve({ [SPID_URL]: [down()] });
    const { log, lines } = recordingLog();
    const restarted = registry({
      log,
      sources: [
        { federation: "spid", location: SPID_URL, signerPem: new X509Certificate(signer.certificate).toString() },
      ],
    });
    expect((await restarted.refresh())[0]).toMatchObject({ ok: false, count: 0 });
    expect(lines.map((line) => line.message)).toContain("idp metadata cache unusable");
  });

  it("refuses a signerPem that holds no certificate at construction", () => {
    expect(() =>
      registry({ sources: [{ federation: "spid", location: SPID_URL, signerPem: "nessun certificato" }] }),
    ).toThrow(/no PEM certificate/);
  });
});

describe("createIdpRegistry: daily refresh", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("refreshes at start, then once per interval, until stopped", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const counts = serve({ [SPID_URL]: [xml(SPID_XML)], [CIE_URL]: [xml(CIE_XML)] });
    const idps = registry();
    await idps.start();
    expect(counts[SPID_URL]).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(24 * 60 * 60 * 1000 - 1);
    expect(counts[SPID_URL]).toBe(1);
    vi.advanceTimersByTime(1);
    await idps.refresh();
    expect(counts[SPID_URL]).toBe(2);
    idps.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("schedules an unref'd timer with the configured interval", async () => {
    serve({ [SPID_URL]: [xml(SPID_XML)], [CIE_URL]: [xml(CIE_XML)] });
    const setIntervalSpy = vi.spyOn(globalThis, "setInterval");
    const idps = registry({ refreshIntervalMs: 3_600_000 });
    await idps.start();
    expect(setIntervalSpy).toHaveBeenCalledWith(expect.any(Function), 3_600_000);
    const timer = setIntervalSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    idps.stop();
  });

  it("does not schedule anything when stopped during the first refresh", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    serve({ [SPID_URL]: [xml(SPID_XML)], [CIE_URL]: [xml(CIE_XML)] });
    const idps = registry();
    const started = idps.start();
    idps.stop();
    await started;
    expect(vi.getTimerCount()).toBe(0);
  });
});
