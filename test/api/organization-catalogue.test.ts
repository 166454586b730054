import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { jsonRequest } from "../support/app.js";
import { backends, type TestDatabase } from "../support/databases.js";
import type { OrgFixture } from "../support/fixtures.js";
import { closeStaffWorld, openStaffWorld, problemOf, staffToken } from "../support/staff.js";

describe.each(backends)("staff API: services and reasons on %s", (backend) => {
  let database: TestDatabase;
  let application: Application;
  let org: OrgFixture;
  let other: OrgFixture;
  let admin: string;
  let operator: string;
  let otherAdmin: string;
  let kioskToken: string;

  beforeAll(async () => {
    ({ database, application, org, other, admin, operator, otherAdmin } = await openStaffWorld(backend));
    const { pairing } = await application.services.kiosks.create(org.entityId, {
      name: "Totem",
      officeId: org.officeId,
    });
    const paired = await jsonRequest(application.app, "POST", "/api/kiosk/v1/pair", { code: pairing.code });
    kioskToken = ((await paired.json()) as { token: string }).token;
  });
  afterAll(() => closeStaffWorld({ application, database }));

  const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
    jsonRequest(application.app, method, `/api/v1/entities/${org.ipaCode}${path}`, body, token);
  const code = () => `svc-${randomUUID().slice(0, 8)}`;
  const createService = async (body: Record<string, unknown> = {}) => {
    const response = await call("POST", "/services", admin, {
      deskId: org.deskId,
      code: code(),
      name: "Servizio",
      ...body,
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; code: string; officeId: string };
  };
  const createReason = async () => {
    const response = await call("POST", "/reasons", admin, {
      code: code(),
      label: "Parcheggio",
      labels: { en: "Parking" },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; code: string };
  };
  const castVote = (serviceId: string, reasonId: string | null = null) =>
    database.db.insert(tables.votes).values({
      id: randomUUID(),
      entityId: org.entityId,
      officeId: org.officeId,
      serviceId,
      judgment: reasonId ? "negative" : "positive",
      reasonId,
      castAt: new Date(),
    });

  describe("services", () => {
    it("creates, reads, changes, lists and deletes a service", async () => {
      const service = await createService({ name: "Stato civile", names: { en: "Civil status" }, sortOrder: 4 });
      expect(service.officeId).toBe(org.officeId);
      const read = await call("GET", `/services/${service.id}`, operator);
      expect(await read.json()).toMatchObject({ name: "Stato civile", names: { en: "Civil status" }, active: true });
      const moved = await call("PATCH", `/services/${service.id}`, admin, {
        name: "Stato civile e leva",
        active: false,
      });
      expect(await moved.json()).toMatchObject({ name: "Stato civile e leva", active: false });
      const list = (await (await call("GET", "/services", operator)).json()) as { items: { id: string }[] };
      expect(list.items.map((s) => s.id)).toContain(service.id);
      expect((await call("DELETE", `/services/${service.id}`, admin)).status).toBe(204);
      expect((await call("GET", `/services/${service.id}`, admin)).status).toBe(404);
    });

    it("refuses a duplicate code at the same desk as RESOURCE_CONFLICT", async () => {
      const response = await call("POST", "/services", admin, { deskId: org.deskId, code: "anagrafe", name: "Bis" });
      expect(response.status).toBe(409);
      expect(await problemOf(response)).toMatchObject({
        code: "RESOURCE_CONFLICT",
        detail: expect.stringContaining("anagrafe"),
      });
    });

    it("refuses a desk of another entity as not found", async () => {
      const response = await call("POST", "/services", admin, { deskId: other.deskId, code: code(), name: "Furbo" });
      expect(response.status).toBe(404);
      const move = await call("PATCH", `/services/${org.serviceIds.tributi}`, admin, { deskId: other.deskId });
      expect(move.status).toBe(404);
    });

    it("refuses to delete a service with votes, pointing to active:false", async () => {
      const service = await createService();
      await castVote(service.id);
      const response = await call("DELETE", `/services/${service.id}`, admin);
      expect(response.status).toBe(409);
      expect(await problemOf(response)).toMatchObject({
        code: "RESOURCE_IN_USE",
        detail: expect.stringMatching(/votes.*"active": false/),
      });
      expect((await call("GET", `/services/${service.id}`, admin)).status).toBe(200);
    });

    it("refuses to delete a service a kiosk lists explicitly", async () => {
      const service = await createService();
      await application.services.kiosks.create(org.entityId, {
        name: `Totem ${service.code}`,
        officeId: org.officeId,
        serviceIds: [service.id],
      });
      const response = await call("DELETE", `/services/${service.id}`, admin);
      expect(response.status).toBe(409);
      expect((await problemOf(response)).detail).toContain("kiosks");
    });

    it("answers 404 for an unknown or foreign service", async () => {
      expect((await call("GET", `/services/${other.serviceIds.anagrafe}`, admin)).status).toBe(404);
      expect((await call("PATCH", `/services/${randomUUID()}`, admin, { name: "X" })).status).toBe(404);
      expect((await call("DELETE", `/services/${other.serviceIds.anagrafe}`, admin)).status).toBe(404);
    });
  });

  describe("reasons", () => {
    it("creates, reads, relabels, lists and deletes a reason", async () => {
      const reason = await createReason();
      expect(await (await call("GET", `/reasons/${reason.id}`, operator)).json()).toMatchObject({
        label: "Parcheggio",
        labels: { en: "Parking" },
        active: true,
      });
      const relabeled = await call("PATCH", `/reasons/${reason.id}`, admin, { label: "Parcheggio e accessi" });
      expect(await relabeled.json()).toMatchObject({ label: "Parcheggio e accessi" });
      const list = (await (await call("GET", "/reasons", operator)).json()) as { items: { code: string }[] };
      expect(list.items.map((r) => r.code)).toEqual(expect.arrayContaining(["tempo-attesa", reason.code]));
      expect((await call("DELETE", `/reasons/${reason.id}`, admin)).status).toBe(204);
      expect((await call("GET", `/reasons/${reason.id}`, admin)).status).toBe(404);
    });

    it("refuses a duplicate code as RESOURCE_CONFLICT and a malformed code as invalid", async () => {
      const twice = await call("POST", "/reasons", admin, { code: "cortesia", label: "Doppia" });
      expect(twice.status).toBe(409);
      expect((await problemOf(twice)).code).toBe("RESOURCE_CONFLICT");
      const malformed = await call("POST", "/reasons", admin, { code: "Con Spazi", label: "X" });
      expect(malformed.status).toBe(400);
      expect(await problemOf(malformed)).toMatchObject({ errors: [{ path: "/code" }] });
    });

    it("refuses to delete a reason a vote gave, and lets it be deactivated instead", async () => {
      const reason = await createReason();
      await castVote(org.serviceIds.anagrafe, reason.id);
      const response = await call("DELETE", `/reasons/${reason.id}`, admin);
      expect(response.status).toBe(409);
      expect(await problemOf(response)).toMatchObject({
        code: "RESOURCE_IN_USE",
        detail: expect.stringContaining("active"),
      });
      const deactivated = await call("PATCH", `/reasons/${reason.id}`, admin, { active: false });
      expect(await deactivated.json()).toMatchObject({ active: false });
    });
  });

  describe("kiosk profile cache", () => {
    const kioskVote = (overrides: Record<string, unknown>) => ({
      id: randomUUID(),
      serviceId: org.serviceIds.anagrafe,
      judgment: "positive",
      castAt: new Date(Date.now() - 60_000).toISOString(),
      ...overrides,
    });
    const sendVote = async (overrides: Record<string, unknown>) => {
      const response = await jsonRequest(
        application.app,
        "POST",
        "/api/kiosk/v1/votes",
        { votes: [kioskVote(overrides)] },
        kioskToken,
      );
      return (await response.json()) as { accepted: string[]; rejected: { code: string }[] };
    };

    it("shows a newly added service on the kiosk's GET config", async () => {
      const service = await createService({ name: "Elettorale" });
      const config = await jsonRequest(application.app, "GET", "/api/kiosk/v1/config", undefined, kioskToken);
      const profile = (await config.json()) as { services: { id: string; name: string }[] };
      expect(profile.services).toContainEqual(expect.objectContaining({ id: service.id, name: "Elettorale" }));
    });

    it("stops taking a reason at the kiosk as soon as it is deactivated", async () => {
      const reason = await createReason();
      const before = await sendVote({ judgment: "negative", reason: reason.code });
      expect(before.accepted).toHaveLength(1);
      await call("PATCH", `/reasons/${reason.id}`, admin, { active: false });
      const after = await sendVote({ judgment: "negative", reason: reason.code });
      expect(after.rejected).toEqual([expect.objectContaining({ code: "VOTE_UNKNOWN_REASON" })]);
    });

    it("stops taking votes for a service as soon as it is deactivated", async () => {
      const service = await createService();
      expect((await sendVote({ serviceId: service.id })).accepted).toHaveLength(1);
      await call("PATCH", `/services/${service.id}`, admin, { active: false });
      const after = await sendVote({ serviceId: service.id });
      expect(after.accepted).toEqual([]);
      expect(after.rejected).toHaveLength(1);
    });
  });

  describe("security", () => {
    it("refuses requests without a token", async () => {
      expect((await call("GET", "/services", undefined)).status).toBe(401);
      expect((await call("DELETE", `/reasons/${randomUUID()}`, undefined)).status).toBe(401);
    });

    it("refuses a token scoped to another entity", async () => {
      expect((await call("GET", "/reasons", otherAdmin)).status).toBe(403);
      const write = await call("POST", "/services", otherAdmin, { deskId: org.deskId, code: code(), name: "X" });
      expect(write.status).toBe(403);
      expect((await problemOf(write)).code).toBe("AUTH_FORBIDDEN");
    });

    it("lets an operator read but not write", async () => {
      expect((await call("GET", `/services/${org.serviceIds.anagrafe}`, operator)).status).toBe(200);
      expect((await call("POST", "/reasons", operator, { code: code(), label: "X" })).status).toBe(403);
      expect((await call("PATCH", `/services/${org.serviceIds.anagrafe}`, operator, { active: false })).status).toBe(
        403,
      );
      const secretary = await staffToken(application, "secretary", org.ipaCode);
      expect((await call("DELETE", `/reasons/${randomUUID()}`, secretary)).status).toBe(403);
    });
  });
});
