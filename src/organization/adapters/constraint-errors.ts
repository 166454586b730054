import { AppError, isAppError } from "../../shared/errors.js";

/**
 * Turns Postgres integrity errors into the staff API's codes. postgres.js
 * (`PostgresError`) and PGlite (`DatabaseError`) both put the SQLSTATE in
 * `code`; Drizzle wraps either in a `DrizzleQueryError` whose `cause` is the
 * driver's error, so the chain is walked.
 */

interface IntegrityFailure {
  code: string;
  constraint: string | undefined;
  detail: string;
}

/** SQLSTATE class 23, integrity constraint violation (PostgreSQL appendix A). */
const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";
/** `ON DELETE RESTRICT` reports this one on PostgreSQL 17 and later (PGlite), 23503 before. */
const RESTRICT_VIOLATION = "23001";

/** How staff call the rows of each table that may still point at a row being deleted. */
const REFERRERS: Record<string, string> = {
  office: "offices",
  desk: "desks",
  service: "services",
  reason: "reasons",
  kiosk: "kiosks",
  kiosk_service: "kiosks",
  vote: "votes",
  vote_rejection: "records of rejected votes",
  served_count: "users-served counts",
};

function integrityFailure(error: unknown): IntegrityFailure | null {
  let current: unknown = error;
  for (let depth = 0; typeof current === "object" && current !== null && depth < 5; depth++) {
    const fields = current as Record<string, unknown>;
    if (typeof fields.code === "string" && fields.code.startsWith("23")) {
      const constraint = fields.constraint ?? fields.constraint_name;
      return {
        code: fields.code,
        constraint: typeof constraint === "string" ? constraint : undefined,
        detail: typeof fields.detail === "string" ? fields.detail : "",
      };
    }
    current = fields.cause;
  }
  return null;
}

export interface ConstraintMessages {
  /** Detail per unique constraint name, e.g. `{ office_entity_name_key: 'an office named "X" exists' }`. */
  unique?: Record<string, string>;
  /** Detail when a delete is refused because `referrers` (e.g. "votes") still point at the row. */
  inUse?: (referrers: string) => string;
}

/** The `AppError` an integrity failure means to staff; any other error is returned as it is. */
export function translateConstraintError(error: unknown, messages: ConstraintMessages): unknown {
  if (isAppError(error)) return error;
  const failure = integrityFailure(error);
  if (!failure) return error;
  if (failure.code === UNIQUE_VIOLATION) {
    const detail = (failure.constraint && messages.unique?.[failure.constraint]) ?? "it conflicts with an existing one";
    return new AppError("RESOURCE_CONFLICT", detail, { cause: error });
  }
  const referrer = /referenced from table "([^"]+)"/.exec(failure.detail)?.[1];
  if ((failure.code === FOREIGN_KEY_VIOLATION || failure.code === RESTRICT_VIOLATION) && referrer) {
    const referrers = REFERRERS[referrer] ?? referrer.replaceAll("_", " ");
    const detail = messages.inUse?.(referrers) ?? `it is still used by ${referrers}`;
    return new AppError("RESOURCE_IN_USE", detail, { cause: error });
  }
  if (failure.code === FOREIGN_KEY_VIOLATION) {
    // Checked before writing; reaching here means a concurrent delete won the race.
    return new AppError("RESOURCE_NOT_FOUND", "a resource it refers to no longer exists", { cause: error });
  }
  return error;
}

/** Runs `work`, translating integrity failures with `messages`. */
export async function guardConstraints<T>(messages: ConstraintMessages, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateConstraintError(error, messages);
  }
}
