import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportDocument } from "../../src/reports/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";
import { OCTOBER, seedReportVotes } from "../support/report-fixtures.js";
import { problemOf, staffToken } from "../support/staff.js";

describe.each(backends)("staff API: reports (%s)", (backend) => {
  let database: TestDatabase;
  let application: Awaited<ReturnType<typeof testApplication>>;
  let org: OrgFixture;
  let secretary: string;
  let operator: string;
  let otherAdmin: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    application = await testApplication(database, { clock: fixedClock(new Date("2026-11-03T10:00:00Z")) });
    org = await seedOrganization(database.db);
    await seedOrganization(database.db, "c_other");
    await seedReportVotes(database.db, org);
    secretary = await staffToken(application, "secretary", "c_test");
    operator = await staffToken(application, "operator", "c_test");
    otherAdmin = await staffToken(application, "admin", "c_other");
  });
  afterAll(async () => {
    await database?.drop();
  });

  const call = (method: string, path: string, token: string, body?: unknown) =>
    jsonRequest(application.app, method, `/api/v1/entities/c_test${path}`, body, token);

  describe("happy", () => {
    it("generates October's draft, lists it, serves its three files, approves it, and reopens it", async () => {
      const created = await call("POST", "/reports", secretary, { period: "2026-10" });
      expect(created.status).toBe(201);
      const report = (await created.json()) as {
        id: string;
        status: string;
        files: Array<{ format: string; href: string; sha256: string }>;
      };
      expect(report).toMatchObject({
        status: "draft",
        generation: 1,
        period: { kind: "month", label: "2026-10", firstDay: "2026-10-01", lastDay: "2026-10-31" },
        generatedAt: "2026-11-03T10:00:00.000Z",
      });
      expect(report.files.map((f) => f.format)).toEqual(["csv", "json", "pdf"]);

      const list = (await (await call("GET", "/reports", operator)).json()) as { items: Array<{ id: string }> };
      expect(list.items.map((r) => r.id)).toEqual([report.id]);

      const json = report.files.find((f) => f.format === "json");
      const file = await application.app.request(json?.href ?? "", {
        headers: { authorization: `Bearer ${operator}` },
      });
      expect(file.status).toBe(200);
      expect(file.headers.get("content-disposition")).toBe('attachment; filename="faccia-c_test-2026-10-it.json"');
      expect(file.headers.get("etag")).toBe(`"${json?.sha256}"`);
      const doc = (await file.json()) as ReportDocument;
      expect(doc.totals.total).toBe(OCTOBER.total);
      expect(doc.totals.satisfactionIndex).toBe(OCTOBER.satisfactionIndex);
      expect(doc.dataQuality.suspectedRepeatsExcluded).toBe(OCTOBER.suspectedRepeats);
      expect(doc.dataQuality.lateVotes.byPeriod).toEqual(OCTOBER.late);
      for (const format of ["csv", "pdf"] as const) {
        const href = report.files.find((f) => f.format === format)?.href ?? "";
        const response = await application.app.request(href, { headers: { authorization: `Bearer ${operator}` } });
        const bytes = new Uint8Array(await response.arrayBuffer());
        const sha = Buffer.from(await crypto.subtle.digest("SHA-256", bytes)).toString("hex");
        expect(sha).toBe(doc.artifacts[format].sha256);
      }

      const approved = await call("POST", `/reports/${report.id}/approve`, secretary);
      expect(approved.status).toBe(200);
      expect(await approved.json()).toMatchObject({
        status: "approved",
        approvedBy: expect.stringContaining("secretary"),
      });
      const reopened = await call("POST", `/reports/${report.id}/reopen`, secretary);
      expect(await reopened.json()).toMatchObject({ status: "draft", approvedAt: null });
      const regenerated = await call("POST", "/reports", secretary, { period: "2026-10" });
      expect(regenerated.status).toBe(200);
      expect(await regenerated.json()).toMatchObject({ id: report.id, generation: 2 });
    });

    it("reproduces a stored report byte for byte from its record", async () => {
      const { record } = await application.services.reports.generate({
        ipaCode: "c_test",
        period: "2026-Q3",
        by: "test",
      });
      expect(await application.services.reports.reproduce("c_test", record.id)).toEqual({
        identical: true,
        formats: { json: true, csv: true, pdf: true },
      });
    });
  });

  describe("errors", () => {
    it("refuses to regenerate an approved report until it is reopened", async () => {
      const created = (await (await call("POST", "/reports", secretary, { period: "2026-09" })).json()) as {
        id: string;
      };
      await call("POST", `/reports/${created.id}/approve`, secretary);
      const again = await call("POST", "/reports", secretary, { period: "2026-09" });
      expect(again.status).toBe(409);
      expect(await problemOf(again)).toMatchObject({ code: "REPORT_STATE_CONFLICT" });
      const twice = await call("POST", `/reports/${created.id}/approve`, secretary);
      expect(twice.status).toBe(409);
    });

    it.each([["2026-13"], ["2026-Q5"], ["october"], ["2027-01"]])(
      "answers 400 REPORT_PERIOD_INVALID for %s",
      async (period) => {
        const response = await call("POST", "/reports", secretary, { period });
        expect(response.status).toBe(400);
        expect(await problemOf(response)).toMatchObject({ code: "REPORT_PERIOD_INVALID" });
      },
    );

    it("answers 404 for a report id of nobody", async () => {
      const response = await call("GET", "/reports/00000000-0000-4000-8000-000000000000", operator);
      expect(response.status).toBe(404);
    });
  });

  describe("security", () => {
    it("lets an operator read but not generate or approve", async () => {
      expect((await call("POST", "/reports", operator, { period: "2026-08" })).status).toBe(403);
      expect((await call("GET", "/reports", operator)).status).toBe(200);
    });

    it("keeps another comune's admin out", async () => {
      expect((await call("GET", "/reports", otherAdmin)).status).toBe(403);
      expect((await call("POST", "/reports", otherAdmin, { period: "2026-08" })).status).toBe(403);
    });
  });
});
