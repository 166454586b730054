import { randomBytes } from "node:crypto";
import { AppError } from "../../shared/errors.js";
import { type FetchFunction, postWithDeadline } from "../keystore/http-post.js";
import { authorizationHeader, type HttpCredentials } from "../keystore/secret.js";
import { DIGEST_LENGTH } from "../keystore/sign-digest.js";
import type { DigestAlgorithm } from "../signer.js";
import {
  createTimeStampRequest,
  nonceFromRandom,
  parseTimeStampResponse,
  type TimestampToken,
} from "./timestamp-protocol.js";

/** Gets RFC 3161 timestamps over digests: CAdES-T signature timestamps, PAdES document timestamps. */
export interface TimestampClient {
  timestamp(digest: Uint8Array, algorithm?: DigestAlgorithm): Promise<TimestampToken>;
}

export interface TsaClientConfig {
  /** The TSA's HTTP endpoint (RFC 3161 §3.4). */
  url: string;
  /** Qualified TSAs (the comune's "marche temporali" contract) usually want HTTP Basic. */
  credentials?: HttpCredentials;
  /** TSA policy OID to ask for (reqPolicy); the TSA's default when absent. */
  policy?: string;
  /** Deadline per request (default 15 s). */
  timeoutMs?: number;
  fetch?: FetchFunction;
}

const MAX_ANSWER_BYTES = 1 << 20;

/**
 * RFC 3161 over HTTP (§3.4): POST the DER TimeStampReq as application/timestamp-query, read the
 * TimeStampResp, check status, messageImprint and nonce. The token's signature is checked by the
 * verifier like any other CMS signature; here we make sure it answers our question.
 */
export function createTsaClient(config: TsaClientConfig): TimestampClient {
  return {
    async timestamp(digest, algorithm = "sha256") {
      if (digest.byteLength !== DIGEST_LENGTH[algorithm]) {
        throw new AppError("SIGNATURE_DIGEST_INVALID", `a ${algorithm} digest has ${DIGEST_LENGTH[algorithm]} bytes`);
      }
      const nonce = nonceFromRandom(randomBytes(16));
      const request = createTimeStampRequest({ digest, algorithm, nonce, policy: config.policy });
      const outcome = await postWithDeadline({
        url: config.url,
        headers: {
          "content-type": "application/timestamp-query",
          accept: "application/timestamp-reply",
          ...(config.credentials ? { authorization: authorizationHeader(config.credentials) } : {}),
        },
        body: request,
        timeoutMs: config.timeoutMs ?? 15_000,
        maxBytes: MAX_ANSWER_BYTES,
        fetch: config.fetch,
      });
      const where = originOf(config.url);
      if (!outcome.ok) {
        if (outcome.failure === "too_large") {
          throw new AppError("TIMESTAMP_MALFORMED_RESPONSE", `${where} sent more than 1 MiB`);
        }
        const what = outcome.failure === "timeout" ? "did not answer in time" : "cannot be reached";
        throw new AppError("TIMESTAMP_UNAVAILABLE", `the TSA ${where} ${what}`, {
          cause: outcome.cause,
          retryable: true,
        });
      }
      const { status, body } = outcome.answer;
      if (status === 429 || status >= 500) {
        throw new AppError("TIMESTAMP_UNAVAILABLE", `the TSA ${where} answered HTTP ${status}`, { retryable: true });
      }
      if (status < 200 || status > 299) {
        const why = status === 401 || status === 403 ? " (credentials refused)" : "";
        throw new AppError("TIMESTAMP_REJECTED", `the TSA ${where} answered HTTP ${status}${why}`);
      }
      return parseTimeStampResponse(body, { digest, algorithm, nonce });
    },
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}
