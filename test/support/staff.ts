import { randomUUID } from "node:crypto";
import type { Application } from "../../src/main.js";

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
