import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type Permission, requireAccess } from "../../identity/index.js";
import type { AppEnv } from "../../shared/http/env.js";
import { jsonContent as json } from "../../shared/http/router.js";
import { entityNotFound } from "../domain/errors.js";
import type { Organization } from "../manage-organization.js";

/** What the organization routes need: the use cases, and who to tell when kiosks must reload. */
export interface OrganizationApiDeps {
  organization: Organization;
  /**
   * Called with the entity's id after any change its kiosks show (services,
   * reasons, offices, desks, settings), so cached kiosk profiles are dropped
   * at once. `() => cache.invalidate()` (drop everything) fits too.
   */
  onCatalogueChange: (entityId: string) => void;
}

export {
  EntityParams,
  jsonBody,
  jsonContent as json,
  staffSecurity as security,
} from "../../shared/http/router.js";

export const listOf = <T extends z.ZodType>(schema: T, description: string) =>
  json(z.object({ items: z.array(schema) }), description);

export const deleted = { 204: { description: "Deleted" } };

/** A path parameter holding a UUID: a malformed id is a 400, never a database error. */
export const uuidParam = (name: string) => z.uuid().openapi({ param: { name, in: "path" } });

/**
 * Resolves `/entities/{ipa}` to the entity id and checks the caller may do
 * `permission` there. An unknown IPA code is a 404 even to callers scoped
 * elsewhere: IPA codes are public (Indice PA), so this reveals nothing.
 */
export function entityAccess(organization: Organization) {
  return async function entityAccess(c: Context<AppEnv>, ipa: string, permission: Permission): Promise<string> {
    const id = await organization.entities.idByIpa(ipa);
    if (!id) throw entityNotFound(ipa);
    requireAccess(c, id, permission);
    return id;
  };
}
