import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Clock } from "../../shared/clock.js";
import { hashSecret } from "../../shared/secrets.js";
import type { LoginRepository, LoginStore, SessionRecord, StaffGrant } from "../adapters/login-repository.js";
import type { SamlFederation } from "../saml/index.js";

/** Issue 7: a staff session ends after 30 minutes without requests and 8 hours after the login in any case. */
export const DEFAULT_IDLE_MS = 30 * 60_000;
export const DEFAULT_ABSOLUTE_MS = 8 * 3_600_000;
/** `last_seen_at` is written at most this often: the idle limit is kept to within a minute. */
const TOUCH_INTERVAL_MS = 60_000;

/** Who logged in, from the accepted Response. */
export interface AuthenticatedUser {
  fiscalCode: string;
  name: string;
  federation: SamlFederation;
  idpEntityId: string;
  level: 1 | 2 | 3;
  nameId: string;
  nameQualifier: string | null;
  sessionIndex: string | null;
}

export interface OpenedSession {
  id: string;
  /** The cookie value: never stored, only its hash. */
  token: string;
  /** Sent back by the pages in `X-CSRF-Token` or the `csrf` form field. */
  csrfToken: string;
  expiresAt: Date;
}

export interface LiveSession {
  session: SessionRecord;
  grants: StaffGrant[];
  /** The CSRF token is derived from the cookie token, so it need not be stored in clear. */
  csrfToken: string;
}

/**
 * The CSRF token of a session, derived from its cookie token, so nothing more is stored: only the
 * page (which reads it from its own HTML) can send it back, a cross-site form cannot.
 */
function csrfTokenOf(token: string): string {
  return hashSecret(`csrf:${token}`).slice(0, 43);
}

export type StaffSessions = ReturnType<typeof createStaffSessions>;

/** Sessions in Postgres behind an opaque cookie token (OWASP Session Management: 256 random bits, hashed at rest). */
export function createStaffSessions(deps: {
  repo: LoginRepository;
  clock: Clock;
  idleMs?: number;
  absoluteMs?: number;
}) {
  const idleMs = deps.idleMs ?? DEFAULT_IDLE_MS;
  const absoluteMs = deps.absoluteMs ?? DEFAULT_ABSOLUTE_MS;
  return {
    idleMs,
    absoluteMs,

    /**
     * A new session's tokens and id, not yet stored: `store` writes it, in the caller's
     * transaction when given (the login commits the session with its audit events).
     */
    prepare(user: AuthenticatedUser): OpenedSession & { store(repo?: LoginStore): Promise<void> } {
      const now = deps.clock.now();
      const token = randomBytes(32).toString("base64url");
      const csrfToken = csrfTokenOf(token);
      const expiresAt = new Date(now.getTime() + absoluteMs);
      const id = randomUUID();
      const row = {
        ...user,
        id,
        tokenHash: hashSecret(token),
        createdAt: now,
        expiresAt,
      };
      return {
        id,
        token,
        csrfToken,
        expiresAt,
        store: async (repo = deps.repo) => {
          await repo.createSession(row);
        },
      };
    },

    /** Opens and stores a session at once. */
    async open(user: AuthenticatedUser): Promise<OpenedSession> {
      const { store, ...session } = this.prepare(user);
      await store();
      return session;
    },

    /** The session behind a cookie token with the user's current roles, or null when ended, idle or expired. */
    async resolve(token: string): Promise<LiveSession | null> {
      const now = deps.clock.now();
      const session = await deps.repo.liveSession(hashSecret(token), now, new Date(now.getTime() - idleMs));
      if (!session) return null;
      if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
        await deps.repo.touchSession(session.id, now);
      }
      const grants = await deps.repo.grants(session.fiscalCode);
      return { session, grants, csrfToken: csrfTokenOf(token) };
    },

    /** Constant-time check of a submitted CSRF token against the session's. */
    csrfMatches(live: LiveSession, submitted: string | undefined): boolean {
      if (submitted === undefined) return false;
      const expected = Buffer.from(hashSecret(live.csrfToken), "utf8");
      const given = Buffer.from(hashSecret(submitted), "utf8");
      return timingSafeEqual(expected, given);
    },

    end: (sessionId: string) => deps.repo.endSession(sessionId, deps.clock.now()),
  };
}
