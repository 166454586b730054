export { createEntityLookup } from "./adapters/entity-lookup.js";
export {
  createOrganizationRepository,
  type OrganizationRepository,
} from "./adapters/organization-repository.js";
export type { Desk, Office, Reason, Service } from "./domain/catalogue.js";
export { parseCsv } from "./domain/csv.js";
export { DEFAULT_REASONS, type Entity } from "./domain/entity.js";
export type { ServedCount } from "./domain/served-counts.js";
export type { OrganizationApiDeps } from "./http/route-kit.js";
export { staffOrganizationApi } from "./http/staff-organization-api.js";
export { createOrganization, type Organization } from "./manage-organization.js";
