import { describe, expect, it } from "vitest";
import { faccia, jsonOf } from "./helpers.js";

const LEAF_COMMANDS = [
  ["start"],
  ["migrate"],
  ["kiosk", "pair-code"],
  ["tokens", "create"],
  ["tokens", "list"],
  ["tokens", "revoke"],
  ["demo", "seed"],
];

describe("faccia --help", () => {
  it("describes the command tree and the exit statuses", async () => {
    const run = await faccia(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["start", "migrate", "kiosk", "tokens", "demo"]) expect(run.stdout).toContain(command);
    expect(run.stdout).toMatch(/Exit status:[\s\S]*0\s+success[\s\S]*1\s+negative result[\s\S]*2\s+usage error/);
  });

  it.each(LEAF_COMMANDS)("documents '%s %s' with a description and examples", async (...command) => {
    const words = command.filter((word): word is string => typeof word === "string");
    const run = await faccia([...words, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: faccia ${words.join(" ")}`);
    expect(run.stdout).toContain("Examples:");
    expect(run.stdout).toContain(`$ faccia ${words.join(" ")}`);
    expect(run.stderr).toBe("");
  });

  it.each([["kiosk"], ["tokens"], ["demo"]])("lists the subcommands of '%s'", async (group) => {
    const run = await faccia([group, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: faccia ${group}`);
  });

  it("prints the version", async () => {
    const run = await faccia(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("usage errors exit 2", () => {
  it.each([
    ["no command", []],
    ["an unknown command", ["frobnicate"]],
    ["an unknown option", ["migrate", "--frobnicate"]],
    ["a missing required option", ["demo", "seed"]],
    ["a number that is not one", ["demo", "seed", "--votes", "many"]],
    ["too many comuni", ["demo", "seed", "--votes", "10", "--entities", "999"]],
    ["a role outside the list", ["tokens", "create", "--entity", "c_demo", "--role", "mayor"]],
    ["a malformed IPA code", ["kiosk", "pair-code", "--entity", "Roma Capitale!", "--name", "X"]],
    ["a token id that is not a UUID", ["tokens", "revoke", "42"]],
    ["a date that does not exist", ["demo", "seed", "--votes", "10", "--until", "2025-02-30"]],
  ])("on %s", async (_label, argv) => {
    const run = await faccia(argv as string[]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toBe("");
    expect(run.stdout).toBe("");
  });

  it("asks for --entity or an explicit --all-entities before making a token", async () => {
    const run = await faccia(["tokens", "create", "--role", "admin"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--all-entities");
    const both = await faccia(["tokens", "create", "--role", "admin", "--entity", "c_demo", "--all-entities"]);
    expect(both.code).toBe(2);
  });

  it("still prints exactly one JSON document with --json", async () => {
    const run = await faccia(["demo", "seed", "--json"]);
    expect(run.code).toBe(2);
    expect(jsonOf<{ error: { code: string } }>(run).error.code).toBe("CLI_USAGE");
  });
});

describe("invalid configuration", () => {
  it("lists every bad key and exits 2", async () => {
    const run = await faccia(["migrate", "--status"], { env: { PORT: "eighty", LOG_LEVEL: "loud" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("invalid configuration");
    expect(run.stderr).toMatch(/- PORT:/);
    expect(run.stderr).toMatch(/- LOG_LEVEL:/);
  });

  it("reports the keys in the JSON document too", async () => {
    const run = await faccia(["migrate", "--status", "--json"], { env: { DATABASE_URL: "mysql://nope" } });
    expect(run.code).toBe(2);
    const body = jsonOf<{ error: { code: string; problems: string[] } }>(run);
    expect(body.error.code).toBe("CONFIG_INVALID");
    expect(body.error.problems).toEqual([expect.stringMatching(/^DATABASE_URL:/)]);
  });
});
