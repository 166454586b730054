import { describe, expect, it } from "vitest";
import { GENERIC_LOGIN_ERROR_MESSAGE, spidErrorCodeOf, spidErrorMessage } from "./spid-error-messages.js";

describe("SPID anomaly messages (Tabella messaggi di anomalia)", () => {
  it.each([
    ["ErrorCode nr19", 19],
    ["ErrorCode nr20", 20],
    ["ErrorCode nr21", 21],
    ["ErrorCode nr22", 22],
    ["ErrorCode nr23", 23],
    ["ErrorCode nr25", 25],
    [" errorcode NR30 ", 30],
  ])("reads %j as %i", (message, code) => {
    expect(spidErrorCodeOf(message)).toBe(code);
    expect(spidErrorMessage(spidErrorCodeOf(message))).not.toBe(GENERIC_LOGIN_ERROR_MESSAGE);
  });

  it.each([undefined, "", "ErrorCode nr24", "ErrorCode nr8", "nr19", "ErrorCode nr19 extra"])(
    "falls back to the generic message for %j",
    (message) => {
      expect(spidErrorCodeOf(message)).toBeUndefined();
      expect(spidErrorMessage(spidErrorCodeOf(message))).toBe(GENERIC_LOGIN_ERROR_MESSAGE);
    },
  );
});
