import { z } from "zod";

/**
 * Staff roles. admin: configuration (services, kiosks, recipients, users);
 * secretary: reviews, signs and sends reports; operator: reads results; viewer: reads only
 * (issue 7's fourth role, e.g. an OIV member or an auditor).
 */
export const Role = z.enum(["admin", "secretary", "operator", "viewer"]);
export type Role = z.infer<typeof Role>;

/**
 * `report`: generate, approve and reopen reports (the secretary's job, issue 4); `sign`: sign and
 * dispatch them, which on a SPID/CIE session also needs a level 2 login (issue 7).
 */
export type Permission = "read" | "configure" | "report" | "sign";

const grants: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(["read", "configure", "report", "sign"]),
  secretary: new Set(["read", "report", "sign"]),
  operator: new Set(["read"]),
  viewer: new Set(["read"]),
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return grants[role].has(permission);
}
