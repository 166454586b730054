import { randomUUID } from "node:crypto";
import type { Application } from "../../src/main.js";
import { testApplication } from "./app.js";
import { type Backend, openTestDatabase, type TestDatabase } from "./databases.js";
import { type OrgFixture, seedOrganization } from "./fixtures.js";

export type StaffRole = "admin" | "secretary" | "operator";

/** A personal access token: platform-wide when `entityIpaCode` is left out. */
export async function staffToken(application: Application, role: StaffRole, entityIpaCode?: string): Promise<string> {
  const { token } = await application.services.accessTokens.create({
    name: `${role} ${entityIpaCode ?? "platform"} ${randomUUID()}`,
    role,
    entityIpaCode,
  });
  return token;
}

/** Sends a CSV body (text or raw bytes) as a staff caller. */
export function csvRequest(
  app: Application["app"],
  path: string,
  body: string | Uint8Array,
  token: string,
  contentType = "text/csv",
): Promise<Response> {
  return Promise.resolve(
    app.request(path, {
      method: "POST",
      headers: { "content-type": contentType, authorization: `Bearer ${token}` },
      body,
    }),
  );
}

/** The problem document's `code`, and its body for further checks. */
export async function problemOf(response: Response): Promise<{ code: string; detail: string; errors?: unknown[] }> {
  return (await response.json()) as { code: string; detail: string; errors?: unknown[] };
}

/** Two comuni (`c_test`, `c_other`) with an admin and an operator token for the first, an admin for the second. */
export interface StaffWorld {
  database: TestDatabase;
  application: Application;
  org: OrgFixture;
  other: OrgFixture;
  admin: string;
  operator: string;
  otherAdmin: string;
}

export async function openStaffWorld(backend: Backend): Promise<StaffWorld> {
  const database = await openTestDatabase(backend);
  const application = await testApplication(database);
  const org = await seedOrganization(database.db);
  const other = await seedOrganization(database.db, "c_other");
  return {
    database,
    application,
    org,
    other,
    admin: await staffToken(application, "admin", org.ipaCode),
    operator: await staffToken(application, "operator", org.ipaCode),
    otherAdmin: await staffToken(application, "admin", other.ipaCode),
  };
}

export async function closeStaffWorld(world: Partial<StaffWorld>): Promise<void> {
  await world.application?.close();
  await world.database?.drop();
}
