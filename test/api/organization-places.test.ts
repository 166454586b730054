import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Application } from "../../src/main.js";
import { jsonRequest } from "../support/app.js";
import { backends, type TestDatabase } from "../support/databases.js";
import type { OrgFixture } from "../support/fixtures.js";
import { closeStaffWorld, openStaffWorld, problemOf } from "../support/staff.js";

describe.each(backends)("staff API: offices and desks on %s", (backend) => {
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

  const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
    jsonRequest(application.app, method, `/api/v1/entities/${org.ipaCode}${path}`, body, token);
  const createOffice = async (name = `Sede ${randomUUID()}`) => {
    const response = await call("POST", "/offices", admin, { name, address: "Piazza del Municipio 1" });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; name: string };
  };
  const createDesk = async (officeId: string, name = `Sportello ${randomUUID()}`) => {
    const response = await call("POST", "/desks", admin, { officeId, name });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; officeId: string; name: string };
  };

  describe("offices", () => {
    it("creates, reads, renames, lists and deletes an office", async () => {
      const office = await createOffice("Sede di via Roma");
      expect(await (await call("GET", `/offices/${office.id}`, operator)).json()).toMatchObject({
        name: "Sede di via Roma",
        address: "Piazza del Municipio 1",
      });
      const renamed = await call("PATCH", `/offices/${office.id}`, admin, {
        name: "Sede di via Milano",
        address: null,
      });
      expect(await renamed.json()).toMatchObject({ name: "Sede di via Milano", address: null });
      const list = (await (await call("GET", "/offices", operator)).json()) as { items: { id: string }[] };
      expect(list.items.map((o) => o.id)).toContain(office.id);
      expect((await call("DELETE", `/offices/${office.id}`, admin)).status).toBe(204);
      expect((await call("GET", `/offices/${office.id}`, admin)).status).toBe(404);
    });

    it("refuses a second office with the same name as RESOURCE_CONFLICT", async () => {
      const response = await call("POST", "/offices", admin, { name: "Sede centrale" });
      expect(response.status).toBe(409);
      expect(await problemOf(response)).toMatchObject({
        code: "RESOURCE_CONFLICT",
        detail: expect.stringContaining("Sede centrale"),
      });
      const office = await createOffice();
      const rename = await call("PATCH", `/offices/${office.id}`, admin, { name: "Delegazione nord" });
      expect(rename.status).toBe(409);
    });

    it("refuses to delete an office that still has desks", async () => {
      const response = await call("DELETE", `/offices/${org.officeId}`, admin);
      expect(response.status).toBe(409);
      expect(await problemOf(response)).toMatchObject({
        code: "RESOURCE_IN_USE",
        detail: expect.stringContaining("desks"),
      });
    });

    it("answers 404 for an unknown or foreign office and 400 for a malformed id", async () => {
      expect((await call("GET", `/offices/${randomUUID()}`, admin)).status).toBe(404);
      expect((await call("GET", `/offices/${other.officeId}`, admin)).status).toBe(404);
      expect((await call("DELETE", `/offices/${other.officeId}`, admin)).status).toBe(404);
      expect((await call("PATCH", `/offices/${randomUUID()}`, admin, { name: "X" })).status).toBe(404);
      const malformed = await call("GET", "/offices/not-a-uuid", admin);
      expect(malformed.status).toBe(400);
      expect((await problemOf(malformed)).code).toBe("REQUEST_VALIDATION_FAILED");
    });
  });

  describe("desks", () => {
    it("creates desks in an office, lists them by office, renames and deletes one", async () => {
      const office = await createOffice();
      const desk = await createDesk(office.id, "Sportello 1");
      expect(desk.officeId).toBe(office.id);
      const list = (await (await call("GET", `/desks?officeId=${office.id}`, operator)).json()) as {
        items: { id: string }[];
      };
      expect(list.items.map((d) => d.id)).toEqual([desk.id]);
      const renamed = await call("PATCH", `/desks/${desk.id}`, admin, { name: "Sportello 9" });
      expect(await renamed.json()).toMatchObject({ id: desk.id, name: "Sportello 9" });
      expect((await call("DELETE", `/desks/${desk.id}`, admin)).status).toBe(204);
      expect((await call("GET", `/desks/${desk.id}`, admin)).status).toBe(404);
    });

    it("allows the same desk name in two offices but not twice in one", async () => {
      const office = await createOffice();
      await createDesk(office.id, "Sportello 1");
      const twice = await call("POST", "/desks", admin, { officeId: office.id, name: "Sportello 1" });
      expect(twice.status).toBe(409);
      expect((await problemOf(twice)).code).toBe("RESOURCE_CONFLICT");
    });

    it("refuses a desk in another entity's office as not found", async () => {
      const response = await call("POST", "/desks", admin, { officeId: other.officeId, name: "Infiltrato" });
      expect(response.status).toBe(404);
      expect((await problemOf(response)).detail).toContain(other.officeId);
    });

    it("refuses to move a desk to another office", async () => {
      const response = await call("PATCH", `/desks/${org.deskId}`, admin, { officeId: org.otherOfficeId });
      expect(response.status).toBe(400);
    });

    it("refuses to delete a desk that still has services or a kiosk", async () => {
      const withServices = await call("DELETE", `/desks/${org.deskId}`, admin);
      expect(withServices.status).toBe(409);
      expect(await problemOf(withServices)).toMatchObject({
        code: "RESOURCE_IN_USE",
        detail: expect.stringContaining("services"),
      });
      const office = await createOffice();
      const desk = await createDesk(office.id);
      await application.services.kiosks.create(org.entityId, {
        name: `Totem ${desk.id}`,
        officeId: office.id,
        deskId: desk.id,
      });
      const withKiosk = await call("DELETE", `/desks/${desk.id}`, admin);
      expect(withKiosk.status).toBe(409);
      expect((await problemOf(withKiosk)).detail).toContain("kiosks");
    });
  });

  describe("security", () => {
    it("refuses requests without a token", async () => {
      expect((await call("GET", "/offices", undefined)).status).toBe(401);
      expect((await call("POST", "/desks", undefined, { officeId: org.officeId, name: "X" })).status).toBe(401);
    });

    it("refuses a token scoped to another entity", async () => {
      expect((await call("GET", "/offices", otherAdmin)).status).toBe(403);
      expect((await call("GET", `/desks/${org.deskId}`, otherAdmin)).status).toBe(403);
      const write = await call("POST", "/offices", otherAdmin, { name: "Conquista" });
      expect(write.status).toBe(403);
      expect((await problemOf(write)).code).toBe("AUTH_FORBIDDEN");
    });

    it("lets an operator read but not write", async () => {
      expect((await call("GET", "/desks", operator)).status).toBe(200);
      expect((await call("POST", "/offices", operator, { name: "Operatore" })).status).toBe(403);
      expect((await call("PATCH", `/desks/${org.deskId}`, operator, { name: "X" })).status).toBe(403);
      expect((await call("DELETE", `/offices/${org.otherOfficeId}`, operator)).status).toBe(403);
    });
  });
});
