#!/usr/bin/env node
// Load generator for bench/ingest: runs autocannon in its own process (so the server under test
// does not share an event loop with the client) and prints one JSON result on stdout.
// Every request carries fresh vote UUIDs, spread round-robin over many kiosk tokens.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { url, tokens, serviceIds, votesPerRequest, connections, duration, overallRate } = plan;
let next = 0;

function body() {
  const now = Date.now();
  const votes = [];
  for (let i = 0; i < votesPerRequest; i++) {
    const serviceId = serviceIds[(next + i) % serviceIds.length];
    const judgment = i % 10 === 0 ? "negative" : i % 4 === 0 ? "sufficient" : "positive";
    votes.push({ id: randomUUID(), serviceId, judgment, castAt: new Date(now - 60_000 - i * 1000).toISOString() });
  }
  return JSON.stringify({ votes, sentAt: new Date(now).toISOString() });
}

const instance = autocannon(
  {
    url,
    method: "POST",
    connections,
    duration,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        setupRequest: (request) => {
          const token = tokens[next++ % tokens.length];
          return {
            ...request,
            headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
            body: body(),
          };
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(2);
    }
    const summary = {
      requestsPerSecond: result.requests.average,
      totalRequests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      durationSeconds: result.duration,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  },
);
process.once("SIGINT", () => instance.stop());
