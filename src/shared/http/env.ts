import type { Logger } from "pino";

/** A role in one entity; `entityId` null: every entity (platform operator, access tokens only). */
export interface Grant {
  role: "admin" | "secretary" | "operator" | "viewer";
  entityId: string | null;
}

/** The authenticated caller of the staff API: an access token, or a staff member's SPID/CIE session. */
export interface Principal {
  kind: "access-token" | "session";
  /** The token's or the session's id. */
  id: string;
  /** The audit actor: the token's name, or the staff member's fiscal code. */
  name: string;
  grants: readonly Grant[];
  /** The SPID/CIE level of a session's login; null for access tokens. */
  level: 1 | 2 | 3 | null;
}

/** Per-request variables every route can read. */
export interface AppVariables {
  requestId: string;
  log: Logger;
  principal?: Principal;
}

export interface AppEnv {
  Variables: AppVariables;
}
