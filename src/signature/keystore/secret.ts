import { inspect } from "node:util";

/**
 * A credential (password, bearer token, SAD) that never reaches a log: JSON serialisation
 * (pino), string conversion and util.inspect all print `[redacted]`; only `reveal()` gives the
 * value, at the one place that puts it on the wire.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return "[redacted]";
  }

  toJSON(): string {
    return "[redacted]";
  }

  [inspect.custom](): string {
    return "Secret([redacted])";
  }
}

/** HTTP Basic (RFC 7617 §2) or Bearer (RFC 6750 §2.1) credentials for a trust service's API. */
export type HttpCredentials = { kind: "basic"; username: string; password: Secret } | { kind: "bearer"; token: Secret };

export function authorizationHeader(credentials: HttpCredentials): string {
  if (credentials.kind === "bearer") return `Bearer ${credentials.token.reveal()}`;
  const pair = `${credentials.username}:${credentials.password.reveal()}`;
  return `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
}
