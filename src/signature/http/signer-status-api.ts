import { createRoute, z } from "@hono/zod-openapi";
import { requireAccess } from "../../identity/index.js";
import type { Clock } from "../../shared/clock.js";
import {
  createRouter,
  EntityParams,
  entityResolver,
  jsonContent,
  problemResponses,
  staffSecurity,
} from "../../shared/http/router.js";
import { type CertificateFinding, checkCertificate } from "../certificates/certificate-checks.js";
import type { CertificateInfo } from "../certificates/certificate-info.js";
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

/** A seal made out to another organisation (ETSI EN 319 412-1 §5.1.4) would sign in its name. */
function otherEntity(certificate: CertificateInfo, ipaCode: string): CertificateFinding[] {
  const expected = `PA:IT-${ipaCode}`.toLowerCase();
  const actual = certificate.organizationIdentifier;
  if (!actual || actual.toLowerCase() === expected) return [];
  const message = `the seal is made out to ${actual}, not to ${`PA:IT-${ipaCode}`}`;
  return [{ severity: "warning", code: "otherEntity", message, daysLeft: 0 }];
}

/**
 * `GET /api/v1/entities/{ipa}/signer`: the signer of the entity's reports and its certificate's
 * health, checked at the time of the request, so the staff dashboard warns a month before the
 * seal expires (issue 5).
 */
export function signerStatusApi(deps: {
  setup: SignatureSetup;
  clock: Clock;
  resolveEntityId: (ipaCode: string) => Promise<string | null>;
}) {
  const router = createRouter();
  const entityId = entityResolver(deps.resolveEntityId);
  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/signer",
      tags: ["Reports"],
      security: staffSecurity,
      summary: "The signer of the entity's reports: certificate, expiry warnings (30 days ahead), trust anchors",
      request: { params: EntityParams },
      responses: { 200: jsonContent(SignerStatus, "The signer's status"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { ipa } = c.req.valid("param");
      requireAccess(c, await entityId(ipa), "report");
      const certificate = await deps.setup.service.signerCertificate(ipa);
      const findings = certificate
        ? [...checkCertificate(certificate, { role: "seal", now: deps.clock.now() }), ...otherEntity(certificate, ipa)]
        : [];
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
