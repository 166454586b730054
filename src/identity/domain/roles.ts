import { z } from "zod";

/**
 * Staff roles. admin: configuration (services, kiosks, recipients, users);
 * secretary: reviews, signs and sends reports; operator: reads results; viewer: reads only
 * (issue 7's fourth role, e.g. an OIV member or an auditor).
 */
export const Role = z.enum(["admin", "secretary", "operator", "viewer"]);
export type Role = z.infer<typeof Role>;

/** `report`: generate, approve and reopen reports (the secretary's job, issue 4). */
export type Permission = "read" | "configure" | "report";

const grants: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(["read", "configure", "report"]),
  secretary: new Set(["read", "report"]),
  operator: new Set(["read"]),
  viewer: new Set(["read"]),
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return grants[role].has(permission);
}
