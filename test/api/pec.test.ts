import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Application } from "../../src/main.js";
import { fixedClock } from "../../src/shared/clock.js";
import { jsonRequest, testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { type OrgFixture, seedOrganization } from "../support/fixtures.js";
import { seedSignedReport } from "../support/pec-world.js";
import { problemOf, staffToken } from "../support/staff.js";

interface DispatchDetail {
  id: string;
  messageId: string;
  outbox: string;
  status: string;
  recipients: Array<{ address: string; status: string; copy: boolean }>;
  messages: Array<{ id: string; direction: string; sha256: string; href: string }>;
}

/**
 * Issue 6, staff API: an entity's PEC box and oversight recipients, dispatching a signed report,
 * following it, and downloading the evidence; roles and entities are enforced on every route.
 */
describe.each(backends)("staff API: PEC (%s)", (backend) => {
  const clock = fixedClock(new Date("2026-11-04T09:00:00Z"));
  let database: TestDatabase;
  let application: Application;
  let org: OrgFixture;
  let admin: string;
  let secretary: string;
  let operator: string;
  let otherAdmin: string;
  const base = "/api/v1/entities/c_test";

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    application = await testApplication(database, { clock });
    org = await seedOrganization(database.db);
    await seedOrganization(database.db, "c_other");
    admin = await staffToken(application, "admin", "c_test");
    secretary = await staffToken(application, "secretary", "c_test");
    operator = await staffToken(application, "operator", "c_test");
    otherAdmin = await staffToken(application, "admin", "c_other");
  });
  afterAll(async () => {
    await application?.close();
    await database?.drop();
  });

  it("lets an admin set the box and the recipients, and nobody else change them", async () => {
    expect((await problemOf(await jsonRequest(application.app, "GET", `${base}/pec`, undefined, admin))).code).toBe(
      "PEC_NOT_CONFIGURED",
    );
    const box = { address: "Protocollo@PEC.Comune.Test.IT" };
    expect((await jsonRequest(application.app, "PUT", `${base}/pec`, box, operator)).status).toBe(403);
    expect((await jsonRequest(application.app, "PUT", `${base}/pec`, box, admin)).status).toBe(204);
    const read = await jsonRequest(application.app, "GET", `${base}/pec`, undefined, operator);
    expect(await read.json()).toMatchObject({ address: "protocollo@pec.comune.test.it", cursor: null });

    const bad = await jsonRequest(
      application.app,
      "POST",
      `${base}/oversight-recipients`,
      { name: "X", address: "not an address" },
      admin,
    );
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).code).toBe("REQUEST_VALIDATION_FAILED");
    const nucleo = { name: "Nucleo di valutazione", address: "nucleo@pec.comune.test.it" };
    expect((await jsonRequest(application.app, "POST", `${base}/oversight-recipients`, nucleo, secretary)).status).toBe(
      403,
    );
    expect((await jsonRequest(application.app, "POST", `${base}/oversight-recipients`, nucleo, admin)).status).toBe(
      201,
    );
    const again = await jsonRequest(application.app, "POST", `${base}/oversight-recipients`, nucleo, admin);
    expect((await problemOf(again)).code).toBe("RESOURCE_CONFLICT");
    const dfp = { name: "Funzione pubblica", address: "dfp@pec.test.it", ipaCode: "dfp", copy: true };
    expect((await jsonRequest(application.app, "POST", `${base}/oversight-recipients`, dfp, admin)).status).toBe(201);
    const list = (await (
      await jsonRequest(application.app, "GET", `${base}/oversight-recipients`, undefined, operator)
    ).json()) as {
      items: Array<{ address: string; copy: boolean }>;
    };
    expect(list.items.map((r) => [r.address, r.copy])).toEqual([
      ["nucleo@pec.comune.test.it", false],
      ["dfp@pec.test.it", true],
    ]);
    expect(
      (await jsonRequest(application.app, "GET", `${base}/oversight-recipients`, undefined, otherAdmin)).status,
    ).toBe(403);
    // One entity per box: another comune cannot take this one's box (it would read its receipts).
    const taken = await jsonRequest(application.app, "PUT", "/api/v1/entities/c_other/pec", box, otherAdmin);
    expect(taken.status).toBe(409);
    expect((await problemOf(taken)).code).toBe("RESOURCE_CONFLICT");
  });

  it("dispatches a signed report (202), refuses anything else, and serves the sent message as evidence", async () => {
    const reportId = await seedSignedReport(database, org.entityId);
    const dispatchPath = `${base}/reports/${reportId}/dispatch`;
    expect((await jsonRequest(application.app, "POST", dispatchPath, undefined, operator)).status).toBe(403);
    expect(
      (
        await jsonRequest(
          application.app,
          "POST",
          `/api/v1/entities/c_other/reports/${reportId}/dispatch`,
          undefined,
          otherAdmin,
        )
      ).status,
    ).toBe(404);

    const accepted = await jsonRequest(application.app, "POST", dispatchPath, undefined, secretary);
    expect(accepted.status).toBe(202);
    const dispatch = (await accepted.json()) as DispatchDetail;
    expect(dispatch).toMatchObject({ outbox: "queued", status: "in_progress" });
    expect(dispatch.recipients.map((r) => [r.address, r.status, r.copy])).toEqual([
      ["nucleo@pec.comune.test.it", "pending", false],
      ["dfp@pec.test.it", "pending", true],
    ]);
    const again = await jsonRequest(application.app, "POST", dispatchPath, undefined, secretary);
    expect(again.status).toBe(409);
    expect((await problemOf(again)).code).toBe("REPORT_STATE_CONFLICT");

    const [sent] = dispatch.messages;
    expect(sent?.direction).toBe("sent");
    const raw = await jsonRequest(application.app, "GET", sent?.href ?? "", undefined, operator);
    expect(raw.headers.get("content-type")).toBe("message/rfc822");
    const bytes = new Uint8Array(await raw.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(sent?.sha256);
    expect(raw.headers.get("etag")).toBe(`"${sent?.sha256}"`);
    expect(Buffer.from(bytes).toString("latin1")).toMatch(/^Cc: .*dfp@pec\.test\.it/m);
    expect(
      (
        await jsonRequest(
          application.app,
          "GET",
          `/api/v1/entities/c_other/pec-messages/${sent?.id}/raw`,
          undefined,
          otherAdmin,
        )
      ).status,
    ).toBe(404);

    // The audit trail: the dispatch and the evidence download, with the caller; not the refused retry.
    const events = await application.services.auditLog.page(0, 1000);
    const dispatchEvents = events.filter((e) => e.action === "report_dispatch" && e.subject === reportId);
    expect(dispatchEvents).toHaveLength(1);
    expect(dispatchEvents[0]).toMatchObject({ entityId: org.entityId, actor: expect.stringContaining("secretary") });
    expect(events.some((e) => e.action === "evidence_download" && e.subject === sent?.id)).toBe(true);
    expect(events.some((e) => e.action === "config_change" && e.subject === "pec")).toBe(true);
    expect(await application.services.auditLog.verify()).toMatchObject({ ok: true });
    const listed = (await (
      await jsonRequest(application.app, "GET", `${base}/dispatches?report=${reportId}`, undefined, operator)
    ).json()) as {
      items: Array<{ id: string; messageId: string }>;
    };
    expect(listed.items).toEqual([expect.objectContaining({ id: dispatch.id, messageId: dispatch.messageId })]);
    expect(
      (
        await jsonRequest(
          application.app,
          "GET",
          `/api/v1/entities/c_other/dispatches/${dispatch.id}`,
          undefined,
          otherAdmin,
        )
      ).status,
    ).toBe(404);
  });

  it("refuses to dispatch without recipients or a box", async () => {
    const other = await openTestDatabase(backend);
    const app = await testApplication(other, { clock });
    try {
      const fixture = await seedOrganization(other.db);
      const token = await staffToken(app, "admin", "c_test");
      const reportId = await seedSignedReport(other, fixture.entityId);
      const noBox = await jsonRequest(app.app, "POST", `${base}/reports/${reportId}/dispatch`, undefined, token);
      expect((await problemOf(noBox)).code).toBe("PEC_NOT_CONFIGURED");
      await jsonRequest(app.app, "PUT", `${base}/pec`, { address: "protocollo@pec.comune.test.it" }, token);
      const noRecipients = await jsonRequest(app.app, "POST", `${base}/reports/${reportId}/dispatch`, undefined, token);
      expect((await problemOf(noRecipients)).code).toBe("PEC_NO_RECIPIENTS");
      expect(noRecipients.status).toBe(409);
    } finally {
      await app.close();
      await other.drop();
    }
  });
});
