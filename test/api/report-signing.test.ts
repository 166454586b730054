import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { fixedClock } from "../../src/shared/clock.js";
import {
  generateDevCertificates,
  type SignatureSetup,
  setUpSignature,
  verifySignature,
  writeDevCertificates,
} from "../../src/signature/index.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";
import {
  cadesSignArgs,
  cadesVerifyArgs,
  createOpensslPki,
  type OpensslPki,
  SKIP_WITHOUT_OPENSSL,
} from "../support/openssl-pki.js";
import { seedReportVotes } from "../support/report-fixtures.js";
import { problemOf, staffToken } from "../support/staff.js";

interface ReportView {
  id: string;
  status: string;
  signature: { by: string; source: string } | null;
  files: Array<{ format: string; sha256: string; href: string }>;
}

/**
 * Issue 5, staff flow: an approved report is signed by the gateway's seal
 * (CAdES or PAdES), or by a secretary elsewhere and uploaded; openssl checks
 * what the gateway stored.
 */
describe.skipIf(SKIP_WITHOUT_OPENSSL).each(backends)("staff API: signing reports (%s)", (backend) => {
  const clock = fixedClock(new Date("2026-11-03T10:00:00Z"));
  let database: TestDatabase;
  let application: Application;
  let unsignedGateway: Application;
  let org: OrgFixture;
  let secretary: string;
  let pki: OpensslPki;
  let dir: string;
  let setup: SignatureSetup;
  let sealPassword: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "faccia-signing-"));
    pki = createOpensslPki();
    // The gateway's seal from the dev generator (EC keys: fast), valid at the fixed clock.
    const certs = await generateDevCertificates({
      ipa: "c_test",
      entityName: "Comune di c_test",
      now: new Date("2026-01-01T00:00:00Z"),
      keys: { ca: { kind: "ec", namedCurve: "P-256" }, seal: { kind: "ec", namedCurve: "P-256" } },
    });
    const paths = await writeDevCertificates(join(dir, "certs"), certs);
    sealPassword = paths.password;
    // Trusted: the dev CA and the openssl CA that issued the secretary's personal certificate.
    const bundle = pki.writeFile(
      "trust.pem",
      `${readFileSync(paths.ca.cert, "utf8")}${readFileSync(pki.root.certPath, "utf8")}`,
    );
    setup = await setUpSignature({
      signer: { kind: "p12", file: paths.seal.p12, password: paths.password },
      trustPemFile: bundle,
      clock,
    });
    database = await openTestDatabase(backend);
    application = await testApplication(database, { clock, signature: setup });
    unsignedGateway = await testApplication(database, { clock });
    org = await seedOrganization(database.db);
    await seedReportVotes(database.db, org);
    secretary = await staffToken(application, "secretary", "c_test");
  });
  afterAll(async () => {
    await database?.drop();
    pki?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: unknown, app = application) =>
    jsonRequest(app.app, method, `/api/v1/entities/c_test${path}`, body, secretary);
  const download = async (href: string) =>
    new Uint8Array(await (await jsonRequest(application.app, "GET", href, undefined, secretary)).arrayBuffer());

  async function approved(period: string): Promise<ReportView> {
    const created = (await (await call("POST", "/reports", { period })).json()) as ReportView;
    expect((await call("POST", `/reports/${created.id}/approve`)).status).toBe(200);
    return created;
  }
  const hrefOf = (report: ReportView, format: string) => report.files.find((f) => f.format === format)?.href ?? "";

  describe("happy", () => {
    it("seals an approved report as CAdES: openssl verifies both .p7m and finds the stored PDF and JSON", async () => {
      const report = await approved("2026-10");
      const response = await call("POST", `/reports/${report.id}/sign`, { format: "cades" });
      expect(response.status).toBe(200);
      const signed = (await response.json()) as ReportView;
      expect(signed.status).toBe("signed");
      expect(signed.signature?.source).toBe("gateway");
      expect(signed.signature?.by).toContain("Comune di c_test");
      expect(signed.files.map((f) => f.format).sort()).toEqual(["csv", "json", "json.p7m", "pdf", "pdf.p7m"]);
      for (const [envelope, plain] of [
        ["pdf.p7m", "pdf"],
        ["json.p7m", "json"],
      ] as const) {
        const p7m = pki.writeFile(`${report.id}.${envelope}`, await download(hrefOf(signed, envelope)));
        const out = `${report.id}.${plain}.out`;
        pki.openssl(cadesVerifyArgs(p7m, "trust.pem", "-out", out));
        expect(Buffer.compare(pki.readFile(out), Buffer.from(await download(hrefOf(signed, plain))))).toBe(0);
      }
    });

    it("seals a report as PAdES: the signed PDF starts with the stored PDF and verifies", async () => {
      const report = await approved("2026-09");
      const signed = (await (
        await call("POST", `/reports/${report.id}/sign`, { format: "pades" })
      ).json()) as ReportView;
      expect(signed.files.map((f) => f.format).sort()).toEqual(["csv", "json", "json.p7m", "pdf", "signed.pdf"]);
      const pdf = await download(hrefOf(signed, "pdf"));
      const padesPdf = await download(hrefOf(signed, "signed.pdf"));
      expect(Buffer.compare(padesPdf.subarray(0, pdf.length), pdf)).toBe(0);
      const result = setup.service.verify(padesPdf);
      expect(result.reasons).toEqual([]);
      expect(result.format).toBe("pades");
      expect(result.signers[0]?.signingTime).toBeNull();
    });

    it("accepts a .p7m a secretary made elsewhere with her personal certificate", async () => {
      const report = await approved("2026-08");
      await database.db.insert(tables.staffUsers).values({
        entityId: org.entityId,
        fiscalCode: "RSSMRA80A01H501U",
        name: "Mario Rossi",
        role: "secretary",
      });
      const p7m = signElsewhere(await download(hrefOf(report, "pdf")), "person");
      const response = await upload(report.id, p7m);
      expect(response.status).toBe(200);
      const signed = (await response.json()) as ReportView;
      expect(signed.status).toBe("signed");
      expect(signed.signature).toMatchObject({ source: "upload" });
      expect(signed.signature?.by).toContain("Rossi Mario");
      expect(Buffer.compare(await download(hrefOf(signed, "pdf.p7m")), p7m)).toBe(0);
    });
  });

  describe("signer status", () => {
    it("shows the seal and warns once it expires within 30 days", async () => {
      const status = async (app: Application) =>
        (await (await jsonRequest(app.app, "GET", "/api/v1/entities/c_test/signer", undefined, secretary)).json()) as {
          configured: boolean;
          subject: string;
          notAfter: string;
          findings: Array<{ code: string; severity: string; daysLeft: number }>;
          trust: { anchors: number };
        };
      const now = await status(application);
      expect(now).toMatchObject({ configured: true, notAfter: "2027-01-01T00:00:00.000Z", findings: [] });
      expect(now.subject).toContain("Comune di c_test");
      expect(now.trust.anchors).toBe(2);
      const lateApp = await testApplication(database, {
        clock: fixedClock(new Date("2026-12-15T10:00:00Z")),
        signature: setup,
      });
      expect((await status(lateApp)).findings).toEqual([
        expect.objectContaining({ severity: "warning", code: "expiresSoon", daysLeft: 16 }),
      ]);
      const none = await status(unsignedGateway);
      expect(none).toMatchObject({ configured: false, subject: null, findings: [] });
    });
  });

  describe("a seal per entity", () => {
    it("opens the key named after the entity ({ipa} in the path), and has none for an entity without one", async () => {
      const seals = join(dir, "seals");
      mkdirSync(seals, { recursive: true });
      copyFileSync(join(dir, "certs", "seal.p12"), join(seals, "c_test.p12"));
      const perEntity = await setUpSignature({
        signer: { kind: "p12", file: join(seals, "{ipa}.p12"), password: sealPassword },
        clock,
      });
      expect(perEntity.perEntity).toBe(true);
      expect((await perEntity.service.signerCertificate("c_test"))?.organizationIdentifier).toBe("PA:IT-c_test");
      expect(await perEntity.service.signerCertificate("c_other")).toBeNull();
      const p7m = await perEntity.service.signCades("c_test", new TextEncoder().encode("relazione"));
      expect(setup.service.verify(p7m).valid).toBe(true);
      await expect(perEntity.service.signCades("c_other", new Uint8Array(1))).rejects.toMatchObject({
        code: "SIGNER_NOT_CONFIGURED",
      });
    });
  });

  describe("errors", () => {
    it("refuses to sign a draft, and to sign twice", async () => {
      const draft = (await (await call("POST", "/reports", { period: "2026-07" })).json()) as ReportView;
      const refused = await call("POST", `/reports/${draft.id}/sign`, {});
      expect(refused.status).toBe(409);
      expect((await problemOf(refused)).code).toBe("REPORT_STATE_CONFLICT");
      expect((await call("POST", `/reports/${draft.id}/approve`)).status).toBe(200);
      expect((await call("POST", `/reports/${draft.id}/sign`, {})).status).toBe(200);
      expect((await call("POST", `/reports/${draft.id}/sign`, {})).status).toBe(409);
    });

    it("answers 503 SIGNER_NOT_CONFIGURED on a gateway without a signer, and leaves the report approved", async () => {
      const report = await approved("2026-06");
      const refused = await call("POST", `/reports/${report.id}/sign`, {}, unsignedGateway);
      expect(refused.status).toBe(503);
      expect((await problemOf(refused)).code).toBe("SIGNER_NOT_CONFIGURED");
      expect(((await (await call("GET", `/reports/${report.id}`)).json()) as ReportView).status).toBe("approved");
    });

    it.each([
      ["a signer who is not a secretary", "seal", "same", "SIGNER_NOT_A_SECRETARY"],
      ["a signature over other bytes", "person", "other", "NOT_THE_STORED_PDF"],
      ["a certificate from an untrusted CA", "untrusted", "same", "CHAIN_UNTRUSTED"],
      ["bytes that are no signature", "none", "same", "MALFORMED"],
    ])("refuses an upload from %s, naming the reason, and keeps the report approved", async (_, who, what, reason) => {
      const report = await approved(
        `2025-${String(9 + ["seal", "person", "untrusted", "none"].indexOf(who)).padStart(2, "0")}`,
      );
      const pdf = await download(hrefOf(report, "pdf"));
      const content = what === "same" ? pdf : Buffer.concat([pdf, Buffer.from("\n%altered\n")]);
      const bytes = who === "none" ? Buffer.from("not a signature at all") : signElsewhere(content, who);
      const refused = await upload(report.id, bytes);
      expect(refused.status).toBe(400);
      const problem = (await refused.json()) as { code: string; reasons: string[] };
      expect(problem.code).toBe("SIGNATURE_UPLOAD_REJECTED");
      expect(problem.reasons).toContain(reason);
      expect(((await (await call("GET", `/reports/${report.id}`)).json()) as ReportView).status).toBe("approved");
    });
  });

  function upload(id: string, bytes: Uint8Array) {
    return application.app.request(`/api/v1/entities/c_test/reports/${id}/signature`, {
      method: "PUT",
      headers: { authorization: `Bearer ${secretary}`, "content-type": "application/pkcs7-mime" },
      body: bytes,
    });
  }

  /** A `.p7m` made by openssl, as a desktop signing tool would make it. */
  function signElsewhere(content: Uint8Array, who: string): Buffer {
    const identity = pki.identities[who as "person" | "seal" | "untrusted"];
    const input = pki.writeFile(`upload-${who}-${Date.now()}.pdf`, content);
    const signed = pki.openssl([...cadesSignArgs(identity), "-outform", "DER", "-in", input]);
    expect(verifySignature(signed, { trust: [] }).format).toBe("cades");
    return signed;
  }
});
