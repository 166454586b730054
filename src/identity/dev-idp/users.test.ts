import { describe, expect, it } from "vitest";
import { parseFiscalCode } from "../domain/fiscal-code.js";
import { Role } from "../domain/roles.js";
import { DEV_IDP_USERS } from "./users.js";

describe("DEV_IDP_USERS", () => {
  it.each(DEV_IDP_USERS.map((user) => [user.key, user] as const))(
    "%s has a valid person's fiscal code without TINIT- prefix",
    (_key, user) => {
      expect(parseFiscalCode(user.fiscalNumber)).toEqual({ ok: true, value: user.fiscalNumber });
      expect(user.fiscalNumber.startsWith("TINIT-")).toBe(false);
    },
  );

  it("offers one admin, one secretary and one operator, each a staff role, with distinct people", () => {
    expect(DEV_IDP_USERS.map((user) => user.key)).toEqual(["admin", "secretary", "operator"]);
    for (const user of DEV_IDP_USERS) expect(Role.safeParse(user.key).success).toBe(true);
    expect(DEV_IDP_USERS.map((user) => user.roleLabel)).toEqual(["Amministratore", "Segretario comunale", "Operatore"]);
    expect(new Set(DEV_IDP_USERS.map((user) => user.fiscalNumber)).size).toBe(3);
    expect(new Set(DEV_IDP_USERS.map((user) => user.email)).size).toBe(3);
  });
});
