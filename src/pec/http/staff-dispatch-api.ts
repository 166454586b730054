/**
 * Staff routes for PEC dispatches (issue 6): send a signed report, follow each recipient's
 * delivery, and download every message sent or received byte for byte (legal evidence, with its
 * SHA-256 as the ETag).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { requireAccess } from "../../identity/index.js";
import { AppError } from "../../shared/errors.js";
import {
  createRouter,
  EntityParams,
  entityResolver,
  jsonContent,
  problemResponses,
  staffSecurity as security,
} from "../../shared/http/router.js";
import type { DispatchRepository, DispatchRow } from "../adapters/dispatch-repository.js";
import type { Dispatching } from "../send-dispatch.js";

const tags = ["PEC"];
const IdParams = EntityParams.extend({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

const RecipientStatus = z
  .object({
    address: z.string(),
    name: z.string(),
    ipaCode: z.string().nullable(),
    copy: z.boolean(),
    status: z.enum(["pending", "accepted", "warned", "failed", "delivered"]),
    decidedBy: z.string().nullable().openapi({ description: "Message-ID of the receipt that decided it" }),
    failure: z.unknown().nullable(),
    warning: z.unknown().nullable(),
  })
  .openapi("DispatchRecipient");
const EvidenceItem = z
  .object({
    id: z.uuid(),
    dispatchId: z.uuid().nullable(),
    direction: z.enum(["sent", "received"]),
    type: z.string().openapi({ description: "accettazione, avvenuta-consegna, posta-certificata, errore, plain, …" }),
    messageId: z.string().nullable(),
    subject: z.string().nullable(),
    sender: z.string().nullable(),
    sha256: z.string(),
    bytes: z.number().int(),
    receivedAt: z.string().nullable(),
    storedAt: z.string(),
    verified: z.boolean().openapi({ description: "Provider signature trusted and naming this dispatch" }),
    signature: z.unknown().nullable(),
    problems: z.array(z.unknown()),
    href: z.string(),
  })
  .openapi("PecMessage");
const Dispatch = z
  .object({
    id: z.uuid(),
    reportId: z.uuid(),
    messageId: z.string(),
    from: z.string(),
    subject: z.string(),
    outbox: z.enum(["queued", "sending", "submitted", "refused"]),
    attempts: z.number().int(),
    lastError: z.string().nullable().openapi({ description: "The SMTP server's text of the last failure" }),
    submittedAt: z.string().nullable(),
    identificativo: z.string().nullable(),
    status: z.enum(["in_progress", "delivered", "partially_delivered", "failed"]),
    acceptance: z.enum(["pending", "accepted", "refused"]),
    alerts: z.array(z.unknown()),
    nextDeadline: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi("Dispatch");
const DispatchDetail = Dispatch.extend({
  recipients: z.array(RecipientStatus),
  messages: z.array(EvidenceItem),
}).openapi("DispatchDetail");

function dispatchView(row: DispatchRow) {
  return {
    id: row.id,
    reportId: row.reportId,
    messageId: row.messageId,
    from: row.fromAddress,
    subject: row.subject,
    outbox: row.outbox,
    attempts: row.attempts,
    lastError: row.lastError,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    identificativo: row.identificativo,
    status: row.status,
    acceptance: row.acceptance,
    alerts: row.alerts,
    nextDeadline: row.nextDeadline?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

type EvidenceRow = Awaited<ReturnType<DispatchRepository["messages"]>>[number];

function evidenceView(ipa: string, row: EvidenceRow) {
  return {
    ...row,
    direction: row.direction as "sent" | "received",
    receivedAt: row.receivedAt?.toISOString() ?? null,
    storedAt: row.storedAt.toISOString(),
    problems: row.problems,
    href: `/api/v1/entities/${ipa}/pec-messages/${row.id}/raw`,
  };
}

export function staffDispatchApi(deps: {
  dispatching: Dispatching;
  repo: DispatchRepository;
  resolveEntityId: (ipaCode: string) => Promise<string | null>;
}) {
  const router = createRouter();
  const entityId = entityResolver(deps.resolveEntityId);

  async function detail(ipa: string, entity: string, id: string) {
    const row = await deps.repo.dispatch(id);
    if (!row || row.entityId !== entity) throw new AppError("RESOURCE_NOT_FOUND", `dispatch ${id} not found`);
    const recipients = await deps.repo.recipients(id);
    const messages = await deps.repo.messages(entity, { dispatchId: id });
    return {
      ...dispatchView(row),
      recipients: recipients.map(({ dispatchId: _, updatedAt: __, ...recipient }) => ({
        ...recipient,
        status: recipient.status as z.infer<typeof RecipientStatus>["status"],
      })),
      messages: messages.map((message) => evidenceView(ipa, message)),
    };
  }

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/reports/{id}/dispatch",
      tags,
      security,
      summary: "Send a signed report by PEC to the oversight bodies (again, to those still missing it)",
      description:
        "The message is committed to the outbox and sent by the PEC worker; follow it on the dispatch. " +
        "A failed or partially delivered report is sent again only to the recipients that have not received it.",
      request: { params: IdParams },
      responses: { 202: jsonContent(DispatchDetail, "Queued"), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const { ipa, id } = c.req.valid("param");
      const entity = await entityId(ipa);
      const principal = requireAccess(c, entity, "sign");
      const queued = await deps.dispatching.dispatchReport(ipa, id, principal.name);
      return c.json(await detail(ipa, entity, queued.id), 202);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/dispatches",
      tags,
      security,
      summary: "The entity's dispatches, newest first",
      request: { params: EntityParams, query: z.object({ report: z.uuid().optional() }) },
      responses: {
        200: jsonContent(z.object({ items: z.array(Dispatch) }), "Dispatches"),
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { ipa } = c.req.valid("param");
      const entity = await entityId(ipa);
      requireAccess(c, entity, "read");
      const rows = await deps.repo.dispatches(entity, c.req.valid("query").report);
      return c.json({ items: rows.map(dispatchView) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/dispatches/{id}",
      tags,
      security,
      summary: "One dispatch: per-recipient delivery, alerts, and every message sent and received",
      request: { params: IdParams },
      responses: { 200: jsonContent(DispatchDetail, "The dispatch"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { ipa, id } = c.req.valid("param");
      const entity = await entityId(ipa);
      requireAccess(c, entity, "read");
      return c.json(await detail(ipa, entity, id), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/pec-messages",
      tags,
      security,
      summary: "Every PEC message stored as evidence (e.g. direction=received: receipts, replies, anomalies)",
      request: { params: EntityParams, query: z.object({ direction: z.enum(["sent", "received"]).optional() }) },
      responses: {
        200: jsonContent(z.object({ items: z.array(EvidenceItem) }), "Messages"),
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { ipa } = c.req.valid("param");
      const entity = await entityId(ipa);
      requireAccess(c, entity, "read");
      const { direction } = c.req.valid("query");
      const rows = await deps.repo.messages(entity, direction ? { direction } : {});
      return c.json({ items: rows.map((row) => evidenceView(ipa, row)) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/pec-messages/{id}/raw",
      tags,
      security,
      summary: "Download a PEC message byte for byte (.eml); its SHA-256 is the ETag",
      request: { params: IdParams },
      responses: { 200: { description: "message/rfc822" }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { ipa, id } = c.req.valid("param");
      const entity = await entityId(ipa);
      requireAccess(c, entity, "read");
      const found = await deps.repo.raw(entity, id);
      if (!found) throw new AppError("RESOURCE_NOT_FOUND", `message ${id} not found`);
      return c.body(new Uint8Array(found.raw), 200, {
        "content-type": "message/rfc822",
        "content-disposition": `attachment; filename="pec-${found.type}-${id}.eml"`,
        etag: `"${found.sha256}"`,
        "x-content-sha256": found.sha256,
        "cache-control": "private, no-cache",
      });
    },
  );
  return router;
}
