import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/index.js";
import type { Application } from "../../src/main.js";
import { testApplication } from "../support/app.js";
import { backends, openTestDatabase, type TestDatabase } from "../support/databases.js";
import { startTcpProxy } from "../support/tcp-proxy.js";

describe.each(backends)("health and readiness on %s", (backend) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function app(database: TestDatabase): Promise<Application> {
    const application = await testApplication(database);
    cleanups.push(() => database.drop());
    return application;
  }

  it("is ready once migrations are applied", async () => {
    const application = await app(await openTestDatabase(backend));
    expect((await application.app.request("/healthz")).status).toBe(200);
    const ready = await application.app.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("answers 503 while migrations are pending", async () => {
    const application = await app(await openTestDatabase(backend, { migrate: false }));
    const response = await application.app.request("/readyz");
    expect(response.status).toBe(503);
    expect(JSON.stringify(await response.json())).toContain("migration");
    expect((await application.app.request("/healthz")).status).toBe(200);
  });
});

describe("readiness during a Postgres outage", () => {
  it.runIf(backends.includes("postgres"))(
    "answers 503 while the database is unreachable, 200 once it is back",
    async () => {
      const database = await openTestDatabase("postgres");
      const target = new URL(database.url as string);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const viaProxy = new URL(target);
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      const handle = await openDatabase({ url: viaProxy.toString(), poolSize: 2 });
      const application = await testApplication({ ...handle, drop: async () => {} });
      try {
        expect((await application.app.request("/readyz")).status).toBe(200);
        await proxy.cut();
        const down = await application.app.request("/readyz");
        expect(down.status).toBe(503);
        expect(await down.json()).toMatchObject({ status: "unavailable", problems: ["database unreachable"] });
        expect((await application.app.request("/healthz")).status).toBe(200);
        const vote = await application.app.request("/api/kiosk/v1/config", {
          headers: { authorization: "Bearer fk_x" },
        });
        expect(vote.status).toBe(503);
        expect(vote.headers.get("retry-after")).toBe("5");
        expect(await vote.json()).toMatchObject({ code: "DATABASE_UNAVAILABLE" });
        await proxy.restore();
        expect((await application.app.request("/readyz")).status).toBe(200);
      } finally {
        await handle.close();
        await proxy.close();
        await database.drop();
      }
    },
  );
});
