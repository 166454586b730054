import { sql } from "drizzle-orm";
import { check, index, pgTable, smallint, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { entities, entityReference } from "./organization.js";

/**
 * Personal access tokens for the staff API (until SPID/CIE sessions land).
 * `entityId` null means every entity (platform operator). Stored hashed.
 */
export const accessTokens = pgTable(
  "access_token",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    entityId: uuid("entity_id").references(() => entities.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [
    unique("access_token_token_hash_key").on(t.tokenHash),
    index("access_token_entity_idx").on(t.entityId),
    check("access_token_role_check", sql`${t.role} in ('admin','secretary','operator','viewer')`),
  ],
);

/**
 * The entity's staff by fiscal code (codice fiscale), the identity SPID and CIE assert and the one
 * a qualified signature certificate carries (ETSI EN 319 412-1 §5.1.3, `TINIT-…`). A signature
 * uploaded for a report is accepted only from a secretary listed here (issue 5).
 */
export const staffUsers = pgTable(
  "staff_user",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    entityId: entityReference(),
    fiscalCode: text("fiscal_code").notNull(),
    name: text("name").notNull(),
    role: text("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("staff_user_entity_fiscal_code_key").on(t.entityId, t.fiscalCode),
    check("staff_user_role_check", sql`${t.role} in ('admin','secretary','operator','viewer')`),
  ],
);

/**
 * The values of an entity's SAML service provider metadata that are not already in `entity`
 * (issue 7; AgID "Regole tecniche" metadata.rst, CIE manuale tecnico): the public-SP contact and the
 * organisation's site. The gateway publishes the metadata of one entity, `FACCIA_SAML_SP_ENTITY`.
 */
export const samlSpProfiles = pgTable("saml_sp_profile", {
  entityId: uuid("entity_id")
    .primaryKey()
    .references(() => entities.id, { onDelete: "cascade" }),
  /** OrganizationURL, e.g. `https://www.comune.demo.it`. */
  organizationUrl: text("organization_url").notNull(),
  /** Institutional e-mail of the ContactPerson (not a person's). */
  contactEmail: text("contact_email").notNull(),
  /** International format without spaces, e.g. `+390612345678`. */
  contactPhone: text("contact_phone"),
  /** CIE: Belfiore code of the municipality (required by the CIE federation), e.g. `H501`. */
  municipality: text("municipality"),
  /** CIE: province code, e.g. `RM`. */
  province: text("province"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * An AuthnRequest sent and not yet answered (issue 7): the ACS accepts a Response only for the
 * request whose browser holds the nonce hashed in `browserBinding`, once (`consumedAt`).
 */
export const samlPendingRequests = pgTable(
  "saml_pending_request",
  {
    /** The AuthnRequest ID (the Response's InResponseTo). */
    id: text("id").primaryKey(),
    federation: text("federation").notNull(),
    idpEntityId: text("idp_entity_id").notNull(),
    level: smallint("level").notNull(),
    issueInstant: timestamp("issue_instant", { withTimezone: true, precision: 3 }).notNull(),
    relayState: text("relay_state").notNull(),
    /** SHA-256 (hex) of the nonce in the browser's login cookie. */
    browserBinding: text("browser_binding").notNull(),
    /** The request as sent, for the register once the Response arrives. */
    requestXml: text("request_xml").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
  },
  (t) => [
    unique("saml_pending_request_browser_binding_key").on(t.browserBinding),
    index("saml_pending_request_expires_idx").on(t.expiresAt),
    check("saml_pending_request_federation_check", sql`${t.federation} in ('spid','cie')`),
    check("saml_pending_request_level_check", sql`${t.level} between 1 and 3`),
  ],
);

/** Assertion IDs already consumed, until they expire: a replayed Response is refused (issue 7). */
export const samlUsedAssertions = pgTable(
  "saml_used_assertion",
  {
    assertionId: text("assertion_id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("saml_used_assertion_expires_idx").on(t.expiresAt)],
);

/**
 * The register of SAML exchanges that AgID requires the SP to keep for 24 months (AgID "Regole
 * tecniche" log.rst): each AuthnRequest or LogoutRequest with the Response it got, the messages
 * themselves and the fields the rule lists. Deleted by the retention job after 24 months.
 */
export const samlExchanges = pgTable(
  "saml_exchange",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    federation: text("federation").notNull(),
    kind: text("kind").notNull(),
    idpEntityId: text("idp_entity_id").notNull(),
    requestId: text("request_id").notNull(),
    requestIssueInstant: timestamp("request_issue_instant", { withTimezone: true, precision: 3 }).notNull(),
    requestXml: text("request_xml").notNull(),
    responseId: text("response_id"),
    responseIssueInstant: text("response_issue_instant"),
    responseIssuer: text("response_issuer"),
    assertionId: text("assertion_id"),
    nameId: text("name_id"),
    nameQualifier: text("name_qualifier"),
    fiscalCode: text("fiscal_code"),
    /** `accepted`, or the refusal code (SAML_…). */
    outcome: text("outcome"),
    responseXml: text("response_xml"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    respondedAt: timestamp("responded_at", { withTimezone: true }),
  },
  (t) => [
    // Request IDs are chosen by us (login, our logout) or by the IdP (its logout): unique per sender.
    unique("saml_exchange_request_key").on(t.kind, t.idpEntityId, t.requestId),
    index("saml_exchange_created_idx").on(t.createdAt),
    check("saml_exchange_federation_check", sql`${t.federation} in ('spid','cie')`),
    check("saml_exchange_kind_check", sql`${t.kind} in ('login','logout')`),
  ],
);

/**
 * A staff member's browser session after a SPID or CIE login (issue 7): the cookie holds a random
 * token, stored here only as its hash. Idle and absolute limits are checked on every request;
 * roles are read from `staff_user` each time, so a change applies at once.
 */
export const staffSessions = pgTable(
  "staff_session",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    fiscalCode: text("fiscal_code").notNull(),
    name: text("name").notNull(),
    federation: text("federation").notNull(),
    idpEntityId: text("idp_entity_id").notNull(),
    level: smallint("level").notNull(),
    /** The NameID and SessionIndex the IdP gave, for the LogoutRequest (single-logout.rst). */
    nameId: text("name_id").notNull(),
    nameQualifier: text("name_qualifier"),
    sessionIndex: text("session_index"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    /** createdAt plus the absolute limit. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    unique("staff_session_token_hash_key").on(t.tokenHash),
    index("staff_session_fiscal_code_idx").on(t.fiscalCode),
    index("staff_session_name_id_idx").on(t.nameId),
    check("staff_session_federation_check", sql`${t.federation} in ('spid','cie')`),
    check("staff_session_level_check", sql`${t.level} between 1 and 3`),
  ],
);
