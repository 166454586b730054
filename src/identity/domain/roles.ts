import { z } from "zod";

/**
 * Staff roles. admin: configuration (services, kiosks, recipients, users);
 * secretary: reviews, signs and sends reports; operator: reads results.
 */
export const Role = z.enum(["admin", "secretary", "operator"]);
export type Role = z.infer<typeof Role>;

export type Permission = "read" | "configure";

const grants: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(["read", "configure"]),
  secretary: new Set(["read"]),
  operator: new Set(["read"]),
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return grants[role].has(permission);
}
