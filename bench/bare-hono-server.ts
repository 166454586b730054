/**
 * Baseline for bench/ingest: a bare Hono endpoint that only parses the vote
 * batch and validates it with the same zod schema the gateway uses, no
 * database. Prints `{"url": …}` once listening.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { VoteBatch } from "../src/kiosk/domain/vote.js";

const app = new Hono();
app.post("/votes", async (c) => {
  const parsed = VoteBatch.safeParse(await c.req.json());
  if (!parsed.success) return c.json({ error: parsed.error.issues.length }, 400);
  return c.json({ accepted: parsed.data.votes.map((v) => v.id), duplicates: [], rejected: [] });
});
const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}/votes` })}\n`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
