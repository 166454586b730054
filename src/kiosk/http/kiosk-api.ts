import { createRoute, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { Clock } from "../../shared/clock.js";
import { AppError } from "../../shared/errors.js";
import { bodyLimit } from "../../shared/http/body-limit.js";
import type { AppEnv } from "../../shared/http/env.js";
import { createRouter, jsonContent, parseWith, problemResponses, readJsonBody } from "../../shared/http/router.js";
import type { RateLimiter } from "../../shared/rate-limiter.js";
import { hashSecret } from "../../shared/secrets.js";
import { calendarDay } from "../../shared/time.js";
import type { KioskIdentity, KioskRepository } from "../adapters/kiosk-repository.js";
import { KioskProfile } from "../domain/profile.js";
import { VoteBatch, VoteBatchEnvelope, VoteRejectionCode } from "../domain/vote.js";
import type { createIngestVotes } from "../ingest-votes.js";
import type { KioskAuthenticator } from "../kiosk-authenticator.js";
import type { createPairKiosk } from "../pair-kiosk.js";
import type { ProfileCache } from "../profile-cache.js";

/** Issue 2: "Body limit 256 KB → 413" (500 votes fit in about 100 KB). */
export const KIOSK_BODY_LIMIT_BYTES = 256 * 1024;

export interface KioskApiDeps {
  repo: KioskRepository;
  authenticator: KioskAuthenticator;
  profiles: ProfileCache;
  pairKiosk: ReturnType<typeof createPairKiosk>;
  ingestVotes: ReturnType<typeof createIngestVotes>;
  clock: Clock;
  kioskLimiter: RateLimiter;
  pairingLimiter: RateLimiter;
  clientAddress: (c: Context) => string;
}

type KioskEnv = AppEnv & { Variables: { kiosk: KioskIdentity } };

const PairRequest = z
  .object({ code: z.string().min(4).max(32).openapi({ example: "7KQ4-M2XD" }) })
  .openapi("PairRequest");
const PairResponse = z.object({ token: z.string(), kiosk: KioskProfile }).openapi("PairResponse");
const VoteResult = z
  .object({
    accepted: z.array(z.string()),
    duplicates: z.array(z.string()),
    rejected: z.array(z.object({ id: z.string().nullable(), code: VoteRejectionCode, detail: z.string() })),
  })
  .openapi("VoteResult");
const Heartbeat = z
  .object({
    appVersion: z.string().min(1).max(64),
    queueDepth: z.number().int().min(0).max(10_000_000),
    lastSyncAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .openapi("Heartbeat");

const bearer = [{ kioskToken: [] }];
const json = jsonContent;

function rejectWithRetryAfter(seconds: number): never {
  throw new AppError("RATE_LIMITED", `too many requests; retry in ${seconds} s`, {
    extensions: { retryAfterSeconds: seconds },
  });
}

function kioskAuth(authenticator: KioskAuthenticator, limiter: RateLimiter): MiddlewareHandler<KioskEnv> {
  return async function kioskAuth(c, next) {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new AppError("AUTH_MISSING_TOKEN", "send the kiosk token as 'Authorization: Bearer …'");
    const tokenHash = hashSecret(match[1]);
    // A kiosk seen recently is remembered: no await (and no microtask) on the hot path.
    const kiosk = authenticator.cached(tokenHash) ?? (await authenticator.authenticate(tokenHash));
    if (!kiosk) throw new AppError("AUTH_INVALID_TOKEN", "the kiosk token is not valid or was revoked; pair again");
    const wait = limiter.take(kiosk.id);
    if (wait > 0) rejectWithRetryAfter(wait);
    c.set("kiosk", kiosk);
    await next();
  };
}

/** The kiosk API, `/api/kiosk/v1`: pair, config, votes, heartbeat. */
export function kioskApi(deps: KioskApiDeps) {
  const router = createRouter();
  router.openAPIRegistry.registerComponent("securitySchemes", "kioskToken", { type: "http", scheme: "bearer" });
  router.use("*", bodyLimit(KIOSK_BODY_LIMIT_BYTES));

  router.openapi(
    createRoute({
      method: "post",
      path: "/pair",
      tags: ["Kiosk"],
      summary: "Pair a kiosk with a single-use code",
      request: { body: { required: true, content: { "application/json": { schema: PairRequest } } } },
      responses: { 200: json(PairResponse, "The kiosk's token and profile"), ...problemResponses(400, 429) },
    }),
    async (c) => {
      const wait = deps.pairingLimiter.take(deps.clientAddress(c));
      if (wait > 0) rejectWithRetryAfter(wait);
      return c.json(await deps.pairKiosk(c.req.valid("json").code), 200);
    },
  );

  const protectedRoutes = createRouter<KioskEnv>();
  protectedRoutes.use("*", kioskAuth(deps.authenticator, deps.kioskLimiter));

  protectedRoutes.openapi(
    createRoute({
      method: "get",
      path: "/config",
      tags: ["Kiosk"],
      summary: "The kiosk's current profile (services, reasons, labels, settings)",
      security: bearer,
      responses: { 200: json(KioskProfile, "Kiosk profile"), ...problemResponses(401, 429) },
    }),
    async (c) => {
      const profile = await deps.profiles.profile(c.get("kiosk"), true);
      if (!profile) throw new AppError("AUTH_INVALID_TOKEN", "the kiosk's entity no longer exists");
      return c.json(profile, 200);
    },
  );

  protectedRoutes.openAPIRegistry.registerPath({
    method: "post",
    path: "/votes",
    tags: ["Kiosk"],
    summary: "Submit a batch of 1–500 votes (idempotent on vote id)",
    description:
      "Each vote is checked on its own: a bad vote is listed in `rejected` with a stable code and the rest are stored. " +
      "Resending a stored vote with the same content lists it in `duplicates`. A body that is not JSON or whose " +
      "envelope breaks the schema is refused whole with 400.",
    security: bearer,
    request: { body: { required: true, content: { "application/json": { schema: VoteBatch } } } },
    responses: { 200: json(VoteResult, "What happened to each vote"), ...problemResponses(400, 401, 413, 415, 429) },
  });
  protectedRoutes.post("/votes", async (c) => {
    const envelope = parseWith(VoteBatchEnvelope, await readJsonBody(c));
    return c.json(await deps.ingestVotes(c.get("kiosk"), envelope), 200);
  });

  protectedRoutes.openapi(
    createRoute({
      method: "post",
      path: "/heartbeat",
      tags: ["Kiosk"],
      summary: "Report that the kiosk is alive, with its queue depth",
      security: bearer,
      request: { body: { required: true, content: { "application/json": { schema: Heartbeat } } } },
      responses: {
        200: json(z.object({ serverTime: z.string() }), "Acknowledged, with the gateway clock"),
        ...problemResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const kiosk = c.get("kiosk");
      const body = c.req.valid("json");
      const now = deps.clock.now();
      await deps.repo.recordHeartbeat(
        kiosk,
        {
          appVersion: body.appVersion,
          queueDepth: body.queueDepth,
          lastSyncAt: body.lastSyncAt ? new Date(body.lastSyncAt) : null,
        },
        now,
        calendarDay(now, kiosk.timezone),
      );
      return c.json({ serverTime: now.toISOString() }, 200);
    },
  );

  router.route("/", protectedRoutes);
  return router;
}
