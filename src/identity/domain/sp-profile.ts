import { z } from "zod";

/**
 * The SAML SP profile of the operating entity (issue 7): the metadata values AgID metadata.rst and
 * the CIE manual ask for that the `entity` row does not hold. The same rules as
 * `checkMetadataConfig`, checked when the values are saved rather than when metadata is served.
 */
export const SpProfileInput = z.object({
  /** OrganizationURL: the entity's institutional site. */
  organizationUrl: z.url({ protocol: /^https?$/, message: "an http(s) URL, e.g. https://www.comune.demo.it" }),
  /** The ContactPerson's e-mail: an institutional address, not a person's (metadata.rst). */
  contactEmail: z.email({ message: "an e-mail address, e.g. protocollo@comune.demo.it" }),
  /** International format without spaces. */
  contactPhone: z
    .string()
    .regex(/^\+\d{6,15}$/, "+ and 6 to 15 digits, no spaces, e.g. +390612345678")
    .nullable()
    .default(null),
  /** CIE: the Belfiore code of the municipality (required by the CIE federation). */
  municipality: z
    .string()
    .regex(/^[A-Z]\d{3}$/, "a Belfiore code: a letter and three digits, e.g. H501")
    .nullable()
    .default(null),
  /** CIE: the province code. */
  province: z
    .string()
    .regex(/^[A-Z]{2}$/, "two capital letters, e.g. RM")
    .nullable()
    .default(null),
});
export type SpProfileInput = z.infer<typeof SpProfileInput>;
