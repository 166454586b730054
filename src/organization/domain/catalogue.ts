import { z } from "zod";
import { Slug, Translations } from "../../shared/domain.js";

/**
 * Request and response bodies for the entity's places (offices, desks) and
 * catalogue (services, reasons). Create bodies leave out what the database
 * defaults; update bodies are partial.
 */

const Name = z.string().trim().min(1).max(200);
const SortOrder = z.number().int().min(-1_000_000).max(1_000_000);
const stamps = { createdAt: z.string(), updatedAt: z.string() };

export const OfficeCreate = z
  .object({ name: Name, address: z.string().trim().min(1).max(300).nullable().optional() })
  .strict()
  .meta({ id: "OfficeCreate" });
export type OfficeCreate = z.infer<typeof OfficeCreate>;
export const OfficeUpdate = OfficeCreate.partial().strict().meta({ id: "OfficeUpdate" });
export type OfficeUpdate = z.infer<typeof OfficeUpdate>;
export const Office = z
  .object({ id: z.uuid(), name: z.string(), address: z.string().nullable(), ...stamps })
  .meta({ id: "Office" });
export type Office = z.infer<typeof Office>;

export const DeskCreate = z
  .object({ officeId: z.uuid().describe("The office (sede) the desk belongs to"), name: Name })
  .strict()
  .meta({ id: "DeskCreate" });
export type DeskCreate = z.infer<typeof DeskCreate>;
/**
 * A desk does not change office: kiosks placed at it and its services' votes
 * record the office too, and would disagree. Create a new desk instead.
 */
export const DeskUpdate = z.object({ name: Name }).partial().strict().meta({ id: "DeskUpdate" });
export type DeskUpdate = z.infer<typeof DeskUpdate>;
export const Desk = z.object({ id: z.uuid(), officeId: z.uuid(), name: z.string(), ...stamps }).meta({ id: "Desk" });
export type Desk = z.infer<typeof Desk>;

export const ServiceCreate = z
  .object({
    deskId: z.uuid().describe("The desk (sportello) offering the service"),
    code: Slug.describe("Machine name, unique per desk (e.g. anagrafe); used by the users-served CSV"),
    name: Name.describe("Italian name shown on the kiosk"),
    names: Translations.optional().describe("Names in the other languages"),
    active: z.boolean().optional().describe("Inactive services vanish from kiosks but keep their history"),
    sortOrder: SortOrder.optional(),
  })
  .strict()
  .meta({ id: "ServiceCreate" });
export type ServiceCreate = z.infer<typeof ServiceCreate>;
export const ServiceUpdate = ServiceCreate.partial().strict().meta({ id: "ServiceUpdate" });
export type ServiceUpdate = z.infer<typeof ServiceUpdate>;
export const Service = z
  .object({
    id: z.uuid(),
    deskId: z.uuid(),
    officeId: z.uuid(),
    code: z.string(),
    name: z.string(),
    names: Translations,
    active: z.boolean(),
    sortOrder: z.number().int(),
    ...stamps,
  })
  .meta({ id: "Service" });
export type Service = z.infer<typeof Service>;

export const ReasonCreate = z
  .object({
    code: Slug.describe("Machine name, unique in the entity (e.g. tempo-attesa); kiosks send it with a vote"),
    label: Name.describe("Italian label"),
    labels: Translations.optional().describe("Labels in the other languages"),
    active: z.boolean().optional().describe("Inactive reasons vanish from kiosks but keep their history"),
    sortOrder: SortOrder.optional(),
  })
  .strict()
  .meta({ id: "ReasonCreate" });
export type ReasonCreate = z.infer<typeof ReasonCreate>;
export const ReasonUpdate = ReasonCreate.partial().strict().meta({ id: "ReasonUpdate" });
export type ReasonUpdate = z.infer<typeof ReasonUpdate>;
export const Reason = z
  .object({
    id: z.uuid(),
    code: z.string(),
    label: z.string(),
    labels: Translations,
    active: z.boolean(),
    sortOrder: z.number().int(),
    ...stamps,
  })
  .meta({ id: "Reason" });
export type Reason = z.infer<typeof Reason>;
