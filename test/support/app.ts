import { ConfigSchema } from "../../src/config/index.js";
import { type Application, createApplication } from "../../src/main.js";
import { type Clock, systemClock } from "../../src/shared/clock.js";
import type { SignatureSetup } from "../../src/signature/index.js";
import type { TestDatabase } from "./databases.js";

export function testConfig(overrides: Record<string, string> = {}) {
  // No background report scheduler in tests: the scheduler tests drive it themselves.
  return ConfigSchema.parse({ FACCIA_DEMO: "0", LOG_LEVEL: "silent", FACCIA_REPORT_SCHEDULER: "0", ...overrides });
}

export async function testApplication(
  database: TestDatabase,
  options: { clock?: Clock; env?: Record<string, string>; signature?: SignatureSetup } = {},
): Promise<Application> {
  return createApplication(testConfig(options.env), {
    database,
    clock: options.clock ?? systemClock,
    migrate: false,
    ...(options.signature ? { signature: options.signature } : {}),
  });
}

/** JSON request helper over `app.request()`: no sockets needed for API tests. */
export function jsonRequest(
  app: Application["app"],
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  return Promise.resolve(
    app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );
}
