import { createRoute, z } from "@hono/zod-openapi";
import { currentPrincipal, requireAccess } from "../../identity/index.js";
import type { Clock } from "../../shared/clock.js";
import { createRouter, jsonContent, problemResponses, staffSecurity } from "../../shared/http/router.js";
import { checkCertificate } from "../certificates/certificate-checks.js";
import type { SignatureSetup } from "../signature-setup.js";

const SignerStatus = z
  .object({
    configured: z.boolean(),
    subject: z.string().nullable(),
    issuer: z.string().nullable(),
    notAfter: z.string().nullable(),
    findings: z.array(
      z.object({
        severity: z.enum(["error", "warning"]),
        code: z.string(),
        message: z.string(),
        daysLeft: z.number().int(),
      }),
    ),
    trust: z.object({ anchors: z.number().int(), sources: z.array(z.string()) }),
  })
  .openapi("SignerStatus");

/**
 * `GET /api/v1/signer`: the gateway's report signer and its certificate's health, checked at the
 * time of the request, so the staff dashboard warns a month before the seal expires (issue 5).
 */
export function signerStatusApi(deps: { setup: SignatureSetup; clock: Clock }) {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: "get",
      path: "/signer",
      tags: ["Signatures"],
      security: staffSecurity,
      summary: "The report signer: certificate, expiry warnings (30 days ahead) and trust anchors",
      responses: { 200: jsonContent(SignerStatus, "The signer's status"), ...problemResponses(401, 403) },
    }),
    (c) => {
      requireAccess(c, currentPrincipal(c).entityId, "report");
      const certificate = deps.setup.signerCertificate;
      const findings = certificate ? checkCertificate(certificate, { role: "seal", now: deps.clock.now() }) : [];
      return c.json(
        {
          configured: certificate !== null,
          subject: certificate?.subject ?? null,
          issuer: certificate?.issuer ?? null,
          notAfter: certificate?.notAfter.toISOString() ?? null,
          findings,
          trust: deps.setup.trust,
        },
        200,
      );
    },
  );
  return router;
}
