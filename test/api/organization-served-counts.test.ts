import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { jsonRequest } from "../support/app.js";
import { backends, type TestDatabase } from "../support/databases.js";
import type { OrgFixture } from "../support/fixtures.js";
import { closeStaffWorld, csvRequest, openStaffWorld, problemOf } from "../support/staff.js";

interface CountRow {
  serviceId: string;
  serviceCode: string;
  channel: string;
  periodStart: string;
  periodEnd: string;
  count: number;
}

describe.each(backends)("staff API: users-served counts on %s", (backend) => {
  let database: TestDatabase;
  let application: Application;
  let org: OrgFixture;
  let other: OrgFixture;
  let admin: string;
  let operator: string;
  let otherAdmin: string;

  beforeAll(async () => {
    ({ database, application, org, other, admin, operator, otherAdmin } = await openStaffWorld(backend));
  });
  afterAll(() => closeStaffWorld({ application, database }));

  const base = () => `/api/v1/entities/${org.ipaCode}/served-counts`;
  const put = (items: unknown[], token = admin) => jsonRequest(application.app, "PUT", base(), { items }, token);
  const importCsv = (body: string | Uint8Array, token = admin, type?: string) =>
    csvRequest(application.app, `${base()}/import`, body, token, type);
  const list = async (query = "", token = admin) => {
    const response = await jsonRequest(application.app, "GET", `${base()}${query}`, undefined, token);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: CountRow[] }).items;
  };
  const stored = () => database.db.$count(tables.servedCounts, eq(tables.servedCounts.entityId, org.entityId));
  const month = (m: string) => {
    const last = new Date(Date.UTC(2024, Number(m), 0)).getUTCDate();
    return { periodStart: `2024-${m}-01`, periodEnd: `2024-${m}-${last}` };
  };

  describe("JSON upsert", () => {
    it("stores counts, and a repeated PUT changes nothing", async () => {
      const items = [
        { serviceId: org.serviceIds.anagrafe, ...month("01"), count: 120 },
        { serviceId: org.serviceIds.anagrafe, channel: "web", ...month("01"), count: 40 },
      ];
      expect(await (await put(items)).json()).toEqual({ upserted: 2 });
      const before = await stored();
      expect(await (await put(items)).json()).toEqual({ upserted: 2 });
      expect(await stored()).toBe(before);
      const rows = await list("?from=2024-01-01&to=2024-01-31", operator);
      expect(rows).toEqual([
        expect.objectContaining({ serviceCode: "anagrafe", channel: "desk", ...month("01"), count: 120 }),
        expect.objectContaining({ serviceCode: "anagrafe", channel: "web", count: 40 }),
      ]);
    });

    it("replaces the count of the same service, channel and period", async () => {
      await put([{ serviceId: org.serviceIds.tributi, ...month("02"), count: 10 }]);
      await put([{ serviceId: org.serviceIds.tributi, ...month("02"), count: 12 }]);
      const rows = (await list("?from=2024-02-01&to=2024-02-29")).filter((r) => r.serviceCode === "tributi");
      expect(rows.map((r) => r.count)).toEqual([12]);
    });

    it("lists only counts whose period overlaps the range", async () => {
      await put([
        { serviceId: org.serviceIds.other, periodStart: "2023-06-01", periodEnd: "2023-06-30", count: 1 },
        { serviceId: org.serviceIds.other, periodStart: "2023-07-01", periodEnd: "2023-09-30", count: 2 },
      ]);
      const rows = await list("?from=2023-08-15&to=2023-08-20");
      expect(rows.map((r) => r.count)).toEqual([2]);
    });

    it("refuses an unknown or foreign service and repeated keys, listing each and storing nothing", async () => {
      const before = await stored();
      const response = await put([
        { serviceId: org.serviceIds.anagrafe, ...month("03"), count: 1 },
        { serviceId: other.serviceIds.anagrafe, ...month("03"), count: 1 },
        { serviceId: org.serviceIds.anagrafe, ...month("03"), count: 2 },
      ]);
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({
        code: "SERVED_COUNTS_INVALID",
        errors: [{ path: "/items/1/serviceId" }, { path: "/items/2/serviceId" }],
      });
      expect(await stored()).toBe(before);
    });

    it("refuses counts that break the schema", async () => {
      const response = await put([
        { serviceId: org.serviceIds.anagrafe, periodStart: "2024-04-30", periodEnd: "2024-04-01", count: -1 },
      ]);
      expect(response.status).toBe(400);
      const problem = await problemOf(response);
      expect(problem.code).toBe("REQUEST_VALIDATION_FAILED");
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: "/items/0/count" })]));
    });

    it("refuses a range that ends before it starts", async () => {
      const response = await jsonRequest(
        application.app,
        "GET",
        `${base()}?from=2024-05-01&to=2024-04-01`,
        undefined,
        admin,
      );
      expect(response.status).toBe(400);
    });
  });

  describe("CSV import", () => {
    it("imports a semicolon file with a BOM and CRLF, by service code, with Italian dates", async () => {
      const text =
        "\uFEFFservice;channel;period_start;period_end;count\r\n" +
        "anagrafe;desk;01/05/2024;31/05/2024;300\r\n" +
        '"tributi";phone;2024-05-01;2024-05-31;"25"\r\n' +
        ";;;;\r\n";
      const response = await importCsv(text);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ imported: 2 });
      const rows = await list("?from=2024-05-01&to=2024-05-31");
      expect(rows.map((r) => [r.serviceCode, r.channel, r.count])).toEqual([
        ["anagrafe", "desk", 300],
        ["tributi", "phone", 25],
      ]);
    });

    it("imports a comma file by service id, replacing existing counts", async () => {
      const text = [
        "service,channel,period_start,period_end,count",
        `${org.serviceIds.anagrafe},desk,2024-05-01,2024-05-31,310`,
        `${org.serviceIds.other},web,2024-05-01,2024-05-31,4`,
      ].join("\n");
      expect(await (await importCsv(text, admin, "text/csv; charset=utf-8")).json()).toEqual({ imported: 2 });
      const rows = await list("?from=2024-05-01&to=2024-05-31");
      expect(rows.find((r) => r.serviceCode === "anagrafe" && r.channel === "desk")?.count).toBe(310);
    });

    it("reads a Windows-1252 file from an Italian spreadsheet", async () => {
      const header = new TextEncoder().encode("service;period_start;period_end;count\r\ncitt");
      const file = new Uint8Array([...header, 0xe0, ...new TextEncoder().encode(";2024-06-01;2024-06-30;9\r\n")]);
      const response = await importCsv(file);
      expect(await problemOf(response)).toMatchObject({
        code: "SERVED_COUNTS_INVALID",
        errors: [{ path: "/rows/2/service", message: 'no service "città" in this entity' }],
      });
    });

    it("refuses the whole file when some rows are bad, listing every bad row", async () => {
      const before = await stored();
      const text = [
        "service;channel;period_start;period_end;count",
        "anagrafe;desk;2024-07-01;2024-07-31;10",
        "parcheggi;desk;2024-07-01;2024-07-31;10",
        "tributi;fax;2024-07-01;2024-07-31;10",
        "tributi;desk;2024-07-31;2024-07-01;10",
        "suap;desk;2024-07-01;2024-07-31;dieci",
        "anagrafe;desk;2024-07-01;2024-07-31;11",
      ].join("\r\n");
      const response = await importCsv(text);
      expect(response.status).toBe(400);
      const problem = await problemOf(response);
      expect(problem.code).toBe("SERVED_COUNTS_INVALID");
      expect(problem.errors).toEqual([
        { path: "/rows/3/service", message: expect.stringContaining("parcheggi") },
        { path: "/rows/4/channel", message: expect.any(String) },
        { path: "/rows/5/period_end", message: expect.any(String) },
        { path: "/rows/6/count", message: expect.any(String) },
        { path: "/rows/7/service", message: expect.stringContaining("row 2") },
      ]);
      expect(await stored()).toBe(before);
    });

    it("refuses a file with a missing column, or a malformed quote", async () => {
      const missing = await importCsv("service,period_start,count\r\nanagrafe,2024-08-01,1\r\n");
      expect(await problemOf(missing)).toMatchObject({
        code: "SERVED_COUNTS_INVALID",
        errors: [{ path: "/rows/1/period_end" }],
      });
      const quote = await importCsv('service,period_start,period_end,count\r\n"anagrafe,2024-08-01,2024-08-31,1\r\n');
      expect(await problemOf(quote)).toMatchObject({ code: "SERVED_COUNTS_INVALID", errors: [{ path: "/rows/2" }] });
    });

    it("refuses a body that is not CSV", async () => {
      const response = await importCsv('{"items": []}', admin, "application/json");
      expect(response.status).toBe(415);
      expect((await problemOf(response)).code).toBe("REQUEST_UNSUPPORTED_MEDIA_TYPE");
    });
  });

  describe("security", () => {
    it("refuses requests without a token", async () => {
      const response = await jsonRequest(application.app, "GET", base());
      expect(response.status).toBe(401);
      expect((await problemOf(response)).code).toBe("AUTH_MISSING_TOKEN");
    });

    it("refuses a token scoped to another entity", async () => {
      expect((await jsonRequest(application.app, "GET", base(), undefined, otherAdmin)).status).toBe(403);
      expect((await put([{ serviceId: org.serviceIds.anagrafe, ...month("09"), count: 1 }], otherAdmin)).status).toBe(
        403,
      );
      expect((await importCsv("service,period_start,period_end,count\r\n", otherAdmin)).status).toBe(403);
    });

    it("lets an operator read but not record counts", async () => {
      await list("", operator);
      const write = await put([{ serviceId: org.serviceIds.anagrafe, ...month("09"), count: 1 }], operator);
      expect(write.status).toBe(403);
      expect((await problemOf(write)).code).toBe("AUTH_FORBIDDEN");
      const upload = await importCsv(
        "service,period_start,period_end,count\r\nanagrafe,2024-09-01,2024-09-30,1",
        operator,
      );
      expect(upload.status).toBe(403);
    });
  });
});
