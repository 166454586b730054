/**
 * Staff routes for an entity's PEC settings (issue 6): the box reports are sent from, and the
 * oversight bodies that receive them. Admins change them; every staff role reads them.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { requireAccess } from "../../identity/index.js";
import { AppError } from "../../shared/errors.js";
import {
  createRouter,
  EntityParams,
  entityResolver,
  jsonBody,
  jsonContent,
  problemResponses,
  staffSecurity as security,
} from "../../shared/http/router.js";
import type { PecSettingsRepository } from "../adapters/pec-settings-repository.js";

const tags = ["PEC"];
/** One addr-spec, as PEC boxes are written (RFC 5322 §3.4.1, without comments or quoted local parts). */
const PecAddress = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(
    /^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/,
    "expected a PEC address such as protocollo@pec.comune.example.it",
  );

const RecipientParams = EntityParams.extend({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

const PecBoxView = z
  .object({
    address: z.string(),
    lastSyncAt: z.string().nullable(),
    lastError: z.string().nullable(),
    cursor: z.object({ uidValidity: z.string(), uid: z.number().int() }).nullable(),
  })
  .openapi("PecBox");
const RecipientView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: z.string(),
    ipaCode: z.string().nullable(),
    copy: z.boolean().openapi({ description: "In Cc rather than To (PEC has no Bcc)" }),
  })
  .openapi("OversightRecipient");
const RecipientCreate = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "Nucleo di valutazione" }),
    address: PecAddress,
    ipaCode: z.string().trim().min(1).max(32).optional(),
    copy: z.boolean().optional(),
  })
  .openapi("OversightRecipientCreate");

export function staffPecSettingsApi(deps: {
  settings: PecSettingsRepository;
  resolveEntityId: (ipaCode: string) => Promise<string | null>;
}) {
  const router = createRouter();
  const entityId = entityResolver(deps.resolveEntityId);

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/pec",
      tags,
      security,
      summary: "The entity's PEC box and how far the gateway has read it",
      request: { params: EntityParams },
      responses: { 200: jsonContent(PecBoxView, "The PEC box"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { ipa } = c.req.valid("param");
      const id = await entityId(ipa);
      requireAccess(c, id, "read");
      const box = await deps.settings.box(id);
      if (!box) throw new AppError("PEC_NOT_CONFIGURED", `entity ${ipa} has no PEC box configured`);
      return c.json(
        {
          address: box.address,
          lastSyncAt: box.lastSyncAt?.toISOString() ?? null,
          lastError: box.lastError,
          cursor: box.cursor,
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: "put",
      path: "/entities/{ipa}/pec",
      tags,
      security,
      summary: "Set the PEC box reports are sent from (its password comes from the gateway's configuration)",
      request: { params: EntityParams, ...jsonBody(z.object({ address: PecAddress }).openapi("PecBoxUpdate")) },
      responses: { 204: { description: "Saved" }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { ipa } = c.req.valid("param");
      const id = await entityId(ipa);
      requireAccess(c, id, "configure");
      const { address } = c.req.valid("json");
      if (!(await deps.settings.setBox(id, address)))
        throw new AppError("RESOURCE_CONFLICT", `${address} is already the PEC box of another entity`);
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: "get",
      path: "/entities/{ipa}/oversight-recipients",
      tags,
      security,
      summary: "The oversight bodies that receive the entity's reports",
      request: { params: EntityParams },
      responses: {
        200: jsonContent(z.object({ items: z.array(RecipientView) }), "Recipients"),
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { ipa } = c.req.valid("param");
      const id = await entityId(ipa);
      requireAccess(c, id, "read");
      return c.json({ items: await deps.settings.recipients(id) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/entities/{ipa}/oversight-recipients",
      tags,
      security,
      summary: "Add an oversight body",
      request: { params: EntityParams, ...jsonBody(RecipientCreate) },
      responses: { 201: jsonContent(RecipientView, "Added"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { ipa } = c.req.valid("param");
      const id = await entityId(ipa);
      requireAccess(c, id, "configure");
      const body = c.req.valid("json");
      const added = await deps.settings.addRecipient(id, {
        name: body.name,
        address: body.address,
        ipaCode: body.ipaCode ?? null,
        copy: body.copy ?? false,
      });
      if (!added) throw new AppError("RESOURCE_CONFLICT", `${body.address} is already a recipient`);
      return c.json(added, 201);
    },
  );

  router.openapi(
    createRoute({
      method: "delete",
      path: "/entities/{ipa}/oversight-recipients/{id}",
      tags,
      security,
      summary: "Remove an oversight body (past dispatches keep their recipients)",
      request: { params: RecipientParams },
      responses: { 204: { description: "Removed" }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { ipa, id: recipientId } = c.req.valid("param");
      const id = await entityId(ipa);
      requireAccess(c, id, "configure");
      if (!(await deps.settings.removeRecipient(id, recipientId)))
        throw new AppError("RESOURCE_NOT_FOUND", `recipient ${recipientId} not found`);
      return c.body(null, 204);
    },
  );
  return router;
}
