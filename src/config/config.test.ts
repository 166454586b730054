import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index.js";

describe("loadConfig", () => {
  it("runs on embedded defaults with an empty environment", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: "127.0.0.1",
      FACCIA_DATA_DIR: "./data",
      FACCIA_KIOSK_RATE_LIMIT: 60,
      FACCIA_DEMO: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("lists every bad key at once", () => {
    try {
      loadConfig({ PORT: "http", LOG_LEVEL: "loud", DATABASE_URL: "mysql://u:secret@h/db", FACCIA_DEMO: "maybe" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.map((p) => p.split(":")[0]).sort();
      expect(problems).toEqual(["DATABASE_URL", "FACCIA_DEMO", "LOG_LEVEL", "PORT"]);
      expect((error as ConfigError).message).not.toContain("secret");
    }
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "" }).PORT).toBe(8080);
  });
});

describe(".env.example", () => {
  it("documents exactly the keys the schema reads", async () => {
    const { readFileSync } = await import("node:fs");
    const { ConfigSchema } = await import("./index.js");
    const text = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
    const documented = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(ConfigSchema.shape).sort());
  });
});
