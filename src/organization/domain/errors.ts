import { AppError, type FieldError } from "../../shared/errors.js";

/** The organization module's refusals, each with a detail that tells staff what to do. */

export function entityNotFound(ipaCode: string): AppError {
  return new AppError("RESOURCE_NOT_FOUND", `no entity with IPA code ${ipaCode}`);
}

/** `what` is a noun such as "office" or "service". */
export function notFoundInEntity(what: string, id: string): AppError {
  return new AppError("RESOURCE_NOT_FOUND", `${what} ${id} not found in this entity`);
}

/** `value`, or RESOURCE_NOT_FOUND naming `what` and `id` when there is none. */
export function found<T>(value: T | null, what: string, id: string): T {
  if (value === null) throw notFoundInEntity(what, id);
  return value;
}

export function settingsInvalid(errors: FieldError[]): AppError {
  return new AppError("REQUEST_VALIDATION_FAILED", "the settings do not fit together", { errors });
}

export function servedCountsInvalid(errors: FieldError[]): AppError {
  const problems = errors.length === 1 ? "1 problem" : `${errors.length} problems`;
  return new AppError("SERVED_COUNTS_INVALID", `${problems} in the users-served counts; nothing was stored`, {
    errors,
  });
}
