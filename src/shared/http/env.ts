import type { Logger } from "pino";

/** The authenticated caller of the staff API. */
export interface Principal {
  kind: "access-token";
  id: string;
  name: string;
  role: "admin" | "secretary" | "operator" | "viewer";
  /** null: every entity (platform operator). */
  entityId: string | null;
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
