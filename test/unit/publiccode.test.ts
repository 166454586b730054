/**
 * publiccode.yml and LICENSE checks for the Developers Italia reuse catalogue.
 *
 * The schema below follows the publiccode.yml standard as written in
 * publiccodeyml/publiccode.yml `docs/standard/schema.core.rst` (core keys),
 * `docs/standard/schema.it.rst` (Italian section) and the controlled vocabularies
 * that italia/publiccode-parser-go enforces for v0 files (`v0.go`, `validators/v0.go`):
 * it is what the catalogue crawler runs, and like it we reject unknown keys.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";

const root = new URL("../../", import.meta.url);
const readText = (name: string): string => readFileSync(new URL(name, root), "utf8");

/** publiccodeYmlVersion values of the current 0.x line accepted by publiccode-parser-go. */
const SUPPORTED_VERSIONS = ["0.4", "0.4.0", "0.5", "0.5.0"] as const;

/** docs/standard/categories-list.rst, as enforced by publiccode-parser-go (`isCategoryV0`). */
const CATEGORIES = [
  "accounting",
  "agile-project-management",
  "applicant-tracking",
  "application-development",
  "appointment-scheduling",
  "backup",
  "billing-and-invoicing",
  "blog",
  "budgeting",
  "business-intelligence",
  "business-process-management",
  "cad",
  "call-center-management",
  "cloud-management",
  "collaboration",
  "communications",
  "compliance-management",
  "contact-management",
  "content-management",
  "crm",
  "customer-service-and-support",
  "data-analytics",
  "data-collection",
  "data-visualization",
  "design",
  "design-system",
  "digital-asset-management",
  "digital-citizenship",
  "document-management",
  "donor-management",
  "e-commerce",
  "e-signature",
  "educational-content",
  "email-management",
  "email-marketing",
  "employee-management",
  "enterprise-project-management",
  "enterprise-social-networking",
  "erp",
  "event-management",
  "facility-management",
  "feedback-and-reviews-management",
  "financial-reporting",
  "fleet-management",
  "fundraising",
  "gamification",
  "geographic-information-systems",
  "grant-management",
  "graphic-design",
  "help-desk",
  "hr",
  "ide",
  "identity-management",
  "instant-messaging",
  "integrated-library-system",
  "inventory-management",
  "it-asset-management",
  "it-development",
  "it-management",
  "it-security",
  "it-service-management",
  "knowledge-management",
  "learning-management-system",
  "marketing",
  "mind-mapping",
  "mobile-marketing",
  "mobile-payment",
  "network-management",
  "office",
  "online-booking",
  "online-community",
  "payment-gateway",
  "payroll",
  "predictive-analysis",
  "procurement",
  "productivity-suite",
  "project-collaboration",
  "project-management",
  "property-management",
  "real-estate-management",
  "regulations-and-directives",
  "remote-support",
  "resource-management",
  "sales-management",
  "seo",
  "service-desk",
  "social-media-management",
  "survey",
  "talent-management",
  "task-management",
  "taxes-management",
  "test-management",
  "time-management",
  "time-tracking",
  "translation",
  "video-conferencing",
  "video-editing",
  "visitor-management",
  "voip",
  "warehouse-management",
  "web-collaboration",
  "web-conferencing",
  "website-builder",
  "whistleblowing",
  "workflow-management",
  "other",
] as const;

/** docs/standard/scope-list.rst for v0 (`isScopeV0`; "government" is dropped in v1). */
const SCOPES = [
  "agriculture",
  "culture",
  "defence",
  "education",
  "emergency-services",
  "employment",
  "energy",
  "environment",
  "finance-and-economic-development",
  "foreign-affairs",
  "government",
  "healthcare",
  "infrastructures",
  "justice",
  "local-authorities",
  "manufacturing",
  "research",
  "science-and-technology",
  "security",
  "society",
  "sport",
  "tourism",
  "transportation",
  "welfare",
] as const;

/** Length in Unicode code points, as the reference parser counts (`umax`/`umin`). */
const codePoints = (s: string): number => [...s].length;

const httpUrl = z.url({ protocol: /^https?$/ });
/** BCP 47 tag with its primary language subtag (e.g. `it`, `en`, `sl-IT-nedis`). */
const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/);
/** Uppercase ISO 3166-1 alpha-2 (lowercase is deprecated since 0.5). */
const countryCode = z.string().regex(/^[A-Z]{2}$/);
const isoDate = z.iso.date();
const nonEmptyString = z.string().trim().min(1);

const description = z.strictObject({
  localisedName: nonEmptyString.optional(),
  genericName: z
    .string()
    .refine((s) => codePoints(s) <= 35)
    .optional(),
  shortDescription: nonEmptyString.refine((s) => codePoints(s) <= 150, "shortDescription: at most 150 characters"),
  longDescription: z
    .string()
    .refine((s) => codePoints(s) >= 150 && codePoints(s) <= 10_000, "longDescription: 150 to 10000 characters"),
  documentation: httpUrl.optional(),
  apiDocumentation: httpUrl.optional(),
  features: z.array(nonEmptyString).min(1),
  screenshots: z.array(nonEmptyString).optional(),
  videos: z.array(httpUrl).optional(),
  awards: z.array(nonEmptyString).optional(),
});

const contact = z.strictObject({
  name: nonEmptyString,
  email: z.email().optional(),
  phone: z.string().optional(),
  affiliation: z.string().optional(),
});

const contractor = z.strictObject({
  name: nonEmptyString,
  until: isoDate,
  email: z.email().optional(),
  website: httpUrl.optional(),
});

const dependency = z.strictObject({
  name: nonEmptyString,
  versionMin: z.string().optional(),
  versionMax: z.string().optional(),
  version: z.string().optional(),
  optional: z.boolean().optional(),
});

const italianSection = z.strictObject({
  countryExtensionVersion: z.enum(["0.2", "1.0"]).optional(),
  conforme: z
    .strictObject({
      lineeGuidaDesign: z.boolean().optional(),
      modelloInteroperabilita: z.boolean().optional(),
      misureMinimeSicurezza: z.boolean().optional(),
      gdpr: z.boolean().optional(),
    })
    .optional(),
  riuso: z.strictObject({ codiceIPA: z.string().optional() }).optional(),
  piattaforme: z
    .strictObject({
      spid: z.boolean().optional(),
      cie: z.boolean().optional(),
      anpr: z.boolean().optional(),
      pagopa: z.boolean().optional(),
      io: z.boolean().optional(),
    })
    .optional(),
});

const publiccodeSchema = z.strictObject({
  publiccodeYmlVersion: z.enum(SUPPORTED_VERSIONS),
  name: nonEmptyString,
  applicationSuite: z.string().optional(),
  url: httpUrl,
  landingURL: httpUrl.optional(),
  isBasedOn: z.union([httpUrl, z.array(httpUrl)]).optional(),
  softwareVersion: nonEmptyString.optional(),
  releaseDate: isoDate.optional(),
  logo: z.string().optional(),
  organisation: z.strictObject({ name: nonEmptyString, uri: z.string().optional() }).optional(),
  platforms: z.array(nonEmptyString).min(1),
  categories: z.array(z.enum(CATEGORIES)).min(1),
  usedBy: z.array(nonEmptyString).optional(),
  fundedBy: z.array(z.strictObject({ name: nonEmptyString, uri: z.string().optional() })).optional(),
  roadmap: httpUrl.optional(),
  developmentStatus: z.enum(["concept", "development", "beta", "stable", "obsolete"]),
  softwareType: z.enum([
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
  ]),
  intendedAudience: z
    .strictObject({
      scope: z.array(z.enum(SCOPES)).optional(),
      countries: z.array(countryCode).optional(),
      unsupportedCountries: z.array(countryCode).optional(),
    })
    .optional(),
  description: z
    .record(languageTag, description)
    .refine((d) => Object.keys(d).length > 0, "description: at least one language"),
  legal: z.strictObject({
    license: nonEmptyString,
    mainCopyrightOwner: z.string().optional(),
    repoOwner: z.string().optional(),
  }),
  maintenance: z
    .strictObject({
      type: z.enum(["internal", "contract", "community", "none"]),
      contractors: z.array(contractor).optional(),
      contacts: z.array(contact).optional(),
    })
    .refine((m) => m.type !== "contract" || (m.contractors?.length ?? 0) > 0, "contract maintenance needs contractors")
    .refine(
      (m) => !(m.type === "internal" || m.type === "community") || (m.contacts?.length ?? 0) > 0,
      "internal or community maintenance needs contacts",
    ),
  localisation: z.strictObject({
    localisationReady: z.boolean(),
    availableLanguages: z.array(languageTag).min(1),
  }),
  dependsOn: z
    .strictObject({
      open: z.array(dependency).optional(),
      proprietary: z.array(dependency).optional(),
      hardware: z.array(dependency).optional(),
    })
    .optional(),
  IT: italianSection.optional(),
});

type Publiccode = z.infer<typeof publiccodeSchema>;

const packageJson = z.object({ version: z.string(), license: z.string() }).parse(JSON.parse(readText("package.json")));
const raw: unknown = parse(readText("publiccode.yml"), { uniqueKeys: true, prettyErrors: true });
const rawRecord = z.record(z.string(), z.unknown()).parse(raw);

describe("publiccode.yml", () => {
  const result = publiccodeSchema.safeParse(raw);
  // Keep checking the raw document when the schema fails, so each test reports its own problem.
  const data = result.success ? result.data : (raw as Publiccode);

  it("is valid against the publiccode.yml 0.x schema", () => {
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it("describes Faccia at the package.json version with a real release date", () => {
    expect(data.name).toBe("Faccia");
    expect(data.softwareVersion).toBe(packageJson.version);
    expect(data.releaseDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(data.platforms).toContain("web");
    expect(data.softwareType).toBe("standalone/web");
  });

  it("is licensed EUPL-1.2, like package.json", () => {
    expect(data.legal.license).toBe("EUPL-1.2");
    expect(packageJson.license).toBe("EUPL-1.2");
  });

  it("has an Italian description first, and an English one", () => {
    expect(Object.keys(data.description)[0]).toBe("it");
    expect(Object.keys(data.description)).toContain("en");
    for (const language of Object.keys(data.description)) {
      expect(data.localisation.availableLanguages).toContain(language);
    }
  });

  it("uses the uppercase IT country section, not the deprecated lowercase one", () => {
    expect(rawRecord).not.toHaveProperty("it");
  });

  describe("schema rejects", () => {
    /** Whether the schema still accepts the file after `mutate` changes one thing. */
    const acceptsAfter = (mutate: (doc: Publiccode) => void): boolean => {
      const copy = structuredClone(raw) as Publiccode;
      mutate(copy);
      return publiccodeSchema.safeParse(copy).success;
    };
    const italian = (doc: Publiccode) => {
      const d = doc.description.it;
      if (!d) throw new Error("publiccode.yml has no Italian description");
      return d;
    };

    it("nothing when nothing changes (baseline)", () => {
      expect(acceptsAfter(() => {})).toBe(true);
    });
    it("a shortDescription over 150 characters", () => {
      expect(
        acceptsAfter((doc) => {
          italian(doc).shortDescription = "x".repeat(151);
        }),
      ).toBe(false);
    });
    it("a longDescription under 150 characters", () => {
      expect(
        acceptsAfter((doc) => {
          italian(doc).longDescription = "troppo corta";
        }),
      ).toBe(false);
    });
    it("a category outside the controlled vocabulary", () => {
      expect(
        acceptsAfter((doc) => {
          doc.categories = ["customer-relationship-management" as never];
        }),
      ).toBe(false);
    });
    it("an unknown developmentStatus, softwareType or maintenance type", () => {
      expect(
        acceptsAfter((doc) => {
          doc.developmentStatus = "alpha" as never;
        }),
      ).toBe(false);
      expect(
        acceptsAfter((doc) => {
          doc.softwareType = "standalone" as never;
        }),
      ).toBe(false);
      expect(
        acceptsAfter((doc) => {
          doc.maintenance.type = "commercial" as never;
        }),
      ).toBe(false);
    });
    it("community maintenance without contacts", () => {
      expect(
        acceptsAfter((doc) => {
          doc.maintenance.contacts = [];
        }),
      ).toBe(false);
    });
    it("a release date that is not YYYY-MM-DD", () => {
      expect(
        acceptsAfter((doc) => {
          doc.releaseDate = "26/11/2026";
        }),
      ).toBe(false);
    });
    it("an unknown top-level key", () => {
      expect(
        acceptsAfter((doc) => {
          Object.assign(doc, { tags: ["pa"] });
        }),
      ).toBe(false);
    });
  });
});

describe("LICENSE", () => {
  const license = readText("LICENSE");

  it("is the EUPL v1.2 text with its appendix of compatible licences", () => {
    expect(license.startsWith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")).toBe(true);
    expect(license).toContain("‘Compatible Licences’ according to Article 5 EUPL are:");
    expect(license).toContain("European Union Public Licence (EUPL) v. 1.1, v. 1.2");
  });
});
