import { describe, expect, it } from "vitest";
import { auditedRequest } from "./audit-trail.js";

describe("which staff requests the audit trail records", () => {
  it.each([
    ["POST", "/entities/c_demo/reports/r1/approve", "report_approve", "c_demo", "r1"],
    ["POST", "/entities/c_demo/reports/r1/reopen", "report_reopen", "c_demo", "r1"],
    ["POST", "/entities/c_demo/reports/r1/sign", "report_sign", "c_demo", "r1"],
    ["PUT", "/entities/c_demo/reports/r1/signature", "report_sign", "c_demo", "r1"],
    ["POST", "/entities/c_demo/reports/r1/dispatch", "report_dispatch", "c_demo", "r1"],
    ["GET", "/entities/c_demo/pec-messages/m1/raw", "evidence_download", "c_demo", "m1"],
    ["PUT", "/entities/c_demo/pec", "config_change", "c_demo", "pec"],
    ["DELETE", "/entities/c_demo/oversight-recipients/x", "config_change", "c_demo", "oversight-recipients/x"],
    ["POST", "/entities", "config_change", null, null],
  ] as const)("%s %s → %s", (method, path, action, ipaCode, subject) => {
    expect(auditedRequest(method, path)).toEqual({ action, ipaCode, subject });
  });

  it.each([
    ["GET", "/entities/c_demo/reports"],
    ["GET", "/entities/c_demo/reports/r1/files/pdf"],
    ["POST", "/entities/c_demo/reports"],
    ["GET", "/entities/c_demo/dispatches/d1"],
    ["GET", "/entities"],
  ])("%s %s is not recorded", (method, path) => {
    expect(auditedRequest(method, path)).toBeNull();
  });
});
