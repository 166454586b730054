/**
 * One POST to a trust service (remote signer, TSA) with a deadline covering the whole exchange,
 * body included, and a cap on the answer's size. Failures come back classified so each caller
 * maps them to its own error codes.
 */

export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: Uint8Array;
}

export type PostOutcome =
  | { ok: true; answer: HttpAnswer }
  | { ok: false; failure: "timeout" | "network" | "too_large"; cause: unknown };

export interface PostRequest {
  url: string;
  headers: Record<string, string>;
  body: Uint8Array | string;
  timeoutMs: number;
  maxBytes: number;
  fetch?: FetchFunction;
}

export async function postWithDeadline(request: PostRequest): Promise<PostOutcome> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  const fetchImpl = request.fetch ?? fetch;
  try {
    const response = await fetchImpl(request.url, {
      method: "POST",
      headers: request.headers,
      body: typeof request.body === "string" ? request.body : Buffer.from(request.body),
      signal,
      redirect: "error",
    });
    const body = await readLimited(response, request.maxBytes);
    if (!body) return { ok: false, failure: "too_large", cause: undefined };
    return {
      ok: true,
      answer: { status: response.status, contentType: response.headers.get("content-type") ?? "", body },
    };
  } catch (error) {
    const timedOut = signal.aborted || (error instanceof Error && error.name === "TimeoutError");
    return { ok: false, failure: timedOut ? "timeout" : "network", cause: error };
  }
}

/** The body, or undefined once it exceeds `maxBytes` (the rest is not read). */
async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
