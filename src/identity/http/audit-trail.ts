/**
 * The staff API's audit trail (issue 7 "Audit log"): every successful request that changes
 * configuration, approves, signs or dispatches a report, or downloads PEC evidence is appended to
 * the hash-chained log with its actor. Kept at the HTTP edge, where the actor is known, so the
 * modules that do the work stay unaware of it. The event is written after the action commits: a
 * crash in between loses the record, never the action.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../shared/http/env.js";
import type { AuditAction, AuditEventInput } from "../domain/audit-event.js";

/** What the trail needs of the audit log. */
export interface AuditAppender {
  append(event: AuditEventInput): Promise<unknown>;
}

interface TrailRule {
  readonly methods: readonly string[];
  /** Matched against the path below `/api/v1`; group 1 is the entity's IPA code, group 2 the subject. */
  readonly path: RegExp;
  /** null: not audited (and no later rule applies). */
  readonly action: AuditAction | null;
}

const REPORT = "/entities/([^/]+)/reports/([^/]+)";
const RULES: readonly TrailRule[] = [
  { methods: ["POST"], path: new RegExp(`^${REPORT}/approve$`), action: "report_approve" },
  { methods: ["POST"], path: new RegExp(`^${REPORT}/reopen$`), action: "report_reopen" },
  { methods: ["POST"], path: new RegExp(`^${REPORT}/sign$`), action: "report_sign" },
  { methods: ["PUT"], path: new RegExp(`^${REPORT}/signature$`), action: "report_sign" },
  { methods: ["POST"], path: new RegExp(`^${REPORT}/dispatch$`), action: "report_dispatch" },
  { methods: ["GET"], path: /^\/entities\/([^/]+)\/pec-messages\/([^/]+)\/raw$/, action: "evidence_download" },
  // Generating or regenerating a draft is routine work, not configuration.
  { methods: ["POST"], path: /^\/entities\/([^/]+)\/reports()$/, action: null },
  // Anything else that changes an entity's setup: places, services, kiosks, PEC box, recipients.
  { methods: ["POST", "PUT", "PATCH", "DELETE"], path: /^\/entities\/([^/]+)(?:\/(.*))?$/, action: "config_change" },
  { methods: ["POST", "PUT", "PATCH", "DELETE"], path: /^\/entities$()()/, action: "config_change" },
];

/** The rule a request falls under, with its entity and subject; null when it is not audited. */
export function auditedRequest(
  method: string,
  path: string,
): { action: AuditAction; ipaCode: string | null; subject: string | null } | null {
  for (const rule of RULES) {
    if (!rule.methods.includes(method)) continue;
    const match = rule.path.exec(path);
    if (!match) continue;
    return rule.action === null ? null : { action: rule.action, ipaCode: match[1] || null, subject: match[2] || null };
  }
  return null;
}

/**
 * @example
 * staff.use("*", staffAuth({ tokens }), auditTrail({ log: auditLog, resolveEntityId, prefix: "/api/v1" }));
 */
export function auditTrail(deps: {
  log: AuditAppender;
  resolveEntityId: (ipaCode: string) => Promise<string | null>;
  /** Where the staff API is mounted. */
  prefix: string;
}): MiddlewareHandler<AppEnv> {
  return async function auditTrail(c, next) {
    await next();
    if (c.res.status >= 400) return;
    const path = c.req.path.startsWith(deps.prefix) ? c.req.path.slice(deps.prefix.length) : c.req.path;
    const audited = auditedRequest(c.req.method, path);
    const principal = c.get("principal");
    if (!audited || !principal) return;
    try {
      const entityId = audited.ipaCode ? await deps.resolveEntityId(audited.ipaCode.toLowerCase()) : null;
      await deps.log.append({
        actor: principal.name,
        action: audited.action,
        entityId,
        subject: audited.subject,
        details: { method: c.req.method, path, status: c.res.status },
      });
    } catch (error) {
      // The action is done; failing the response now would invite a retry of it.
      c.get("log").error({ err: error, action: audited.action }, "audit event not recorded");
    }
  };
}
