import { createRouter } from "../../shared/http/router.js";
import { deskRoutes, officeRoutes, reasonRoutes, serviceRoutes } from "./catalogue-routes.js";
import { entityRoutes } from "./entity-routes.js";
import type { OrganizationApiDeps } from "./route-kit.js";
import { servedCountRoutes } from "./served-count-routes.js";

/**
 * The organization part of the staff API (mounted at `/api/v1` behind staff
 * authentication): entities, offices, desks, services, reasons and
 * users-served counts. Reads need the `read` permission on the entity,
 * writes `configure`.
 *
 * @example
 * staffApis: [staffOrganizationApi({ organization, onCatalogueChange: (id) => profiles.invalidate(id) })]
 */
export function staffOrganizationApi(deps: OrganizationApiDeps) {
  const router = createRouter();
  for (const routes of [entityRoutes, officeRoutes, deskRoutes, serviceRoutes, reasonRoutes, servedCountRoutes]) {
    router.route("/", routes(deps));
  }
  return router;
}
