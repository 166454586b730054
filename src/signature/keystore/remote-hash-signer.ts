import { constants, type KeyObject, publicDecrypt, X509Certificate } from "node:crypto";
import { AppError, type ErrorCode } from "../../shared/errors.js";
import { pemToDerList } from "../certificates/pem.js";
import { digestOid, OID, signatureOid } from "../oids.js";
import type { DigestAlgorithm, KeyAlgorithm, Signer } from "../signer.js";
import { ecdsaSignatureFromRaw } from "./ecdsa-prehashed.js";
import { type FetchFunction, type HttpAnswer, postWithDeadline } from "./http-post.js";
import { authorizationHeader, type HttpCredentials, type Secret } from "./secret.js";
import { DIGEST_LENGTH, digestInfo, keyAlgorithmOf } from "./sign-digest.js";

/**
 * "Firma automatica": the QTSP keeps the key in its HSM and signs the hashes we send, without a
 * per-signature OTP. This is how a qualified signature or seal is made in production
 * (reference/signature.md §0.6, §2.4). The JSON contract is the Cloud Signature Consortium API
 * v2 (which several QTSPs expose, natively or through a gateway):
 *
 *   POST <signHashUrl>            signatures/signHash (CSC v2 §11.11)
 *     → { credentialID, SAD?, hashes: [base64], hashAlgorithmOID, signAlgo }
 *     ← { signatures: [base64] }
 *   POST <credentialsInfoUrl>     credentials/info (CSC v2 §11.5), only when no PEM chain is configured
 *     → { credentialID, certificates: "chain" }
 *     ← { cert: { certificates: [base64 DER, signer first] } }
 *
 * signAlgo is rsaEncryption for RSA credentials (the hash is given by hashAlgorithmOID) and
 * ecdsa-with-SHA* for EC ones. Credentials are `Secret`s: they never reach a log.
 */
export interface RemoteHashSignerConfig {
  signHashUrl: string;
  credentialId: string;
  credentials: HttpCredentials;
  /** Signature Activation Data for automatic signing, when the QTSP issues a static one. */
  sad?: Secret;
  /** The signer's certificate and chain, as PEM text; or where to fetch them (credentials/info). */
  certificates: { pem: string } | { credentialsInfoUrl: string };
  /** When given, must match the certificate's key: catches a credential ID pointing at another key. */
  keyAlgorithm?: KeyAlgorithm;
  /** Deadline per request (default 15 s). */
  timeoutMs?: number;
  fetch?: FetchFunction;
}

const MAX_ANSWER_BYTES = 1 << 20;

export class RemoteHashSigner implements Signer {
  readonly certificateChain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
  readonly #config: RemoteHashSignerConfig;
  readonly #publicKey: KeyObject;

  private constructor(config: RemoteHashSignerConfig, certificateChain: Uint8Array[]) {
    this.#publicKey = publicKeyOf(certificateChain[0]);
    this.keyAlgorithm = keyAlgorithmOf(this.#publicKey);
    if (config.keyAlgorithm && JSON.stringify(config.keyAlgorithm) !== JSON.stringify(this.keyAlgorithm)) {
      throw new AppError(
        "SIGNATURE_KEY_UNSUPPORTED",
        `the remote credential's certificate has a ${keyName(this.keyAlgorithm)} key, configured ${keyName(config.keyAlgorithm)}`,
      );
    }
    this.#config = config;
    this.certificateChain = certificateChain;
  }

  /** Loads the chain (from PEM, or from credentials/info) and returns a ready signer. */
  static async connect(config: RemoteHashSignerConfig): Promise<RemoteHashSigner> {
    if ("pem" in config.certificates) return new RemoteHashSigner(config, pemToDerList(config.certificates.pem));
    const answer = await callService(config, config.certificates.credentialsInfoUrl, {
      credentialID: config.credentialId,
      certificates: "chain",
    });
    const certificates = (answer as { cert?: { certificates?: unknown } }).cert?.certificates;
    return new RemoteHashSigner(config, base64List(certificates, "cert.certificates"));
  }

  async sign(digest: Uint8Array, algorithm: DigestAlgorithm): Promise<Uint8Array> {
    if (digest.byteLength !== DIGEST_LENGTH[algorithm]) {
      throw new AppError("SIGNATURE_DIGEST_INVALID", `a ${algorithm} digest has ${DIGEST_LENGTH[algorithm]} bytes`);
    }
    const ec = this.keyAlgorithm.kind === "ec";
    const answer = await callService(this.#config, this.#config.signHashUrl, {
      credentialID: this.#config.credentialId,
      ...(this.#config.sad ? { SAD: this.#config.sad.reveal() } : {}),
      hashes: [Buffer.from(digest).toString("base64")],
      hashAlgorithmOID: digestOid(algorithm),
      signAlgo: ec ? signatureOid(this.keyAlgorithm, algorithm) : OID.rsaEncryption,
    });
    const [signature, ...extra] = base64List((answer as { signatures?: unknown }).signatures, "signatures");
    if (!signature || extra.length > 0) throw malformed("expected exactly one signature for one hash");
    return ec ? toDerEcdsa(signature, this.keyAlgorithm) : this.checkedRsa(signature, digest, algorithm);
  }

  /** RSA signatures are checked with the certificate's key: a wrong credential ID shows here, not at the verifier. */
  private checkedRsa(signature: Uint8Array, digest: Uint8Array, algorithm: DigestAlgorithm): Uint8Array {
    let recovered: Buffer | undefined;
    try {
      recovered = publicDecrypt({ key: this.#publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    } catch {
      recovered = undefined;
    }
    const expected = digestInfo(algorithm, digest);
    if (!recovered?.equals(expected))
      throw malformed("the signature does not verify with the credential's certificate");
    return signature;
  }
}

async function callService(config: RemoteHashSignerConfig, url: string, body: object): Promise<unknown> {
  const outcome = await postWithDeadline({
    url,
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      authorization: authorizationHeader(config.credentials),
    },
    body: JSON.stringify(body),
    timeoutMs: config.timeoutMs ?? 15_000,
    maxBytes: MAX_ANSWER_BYTES,
    fetch: config.fetch,
  });
  if (!outcome.ok) {
    if (outcome.failure === "timeout") {
      throw new AppError("SIGNATURE_REMOTE_TIMEOUT", `no answer from ${originOf(url)} in time`, { retryable: true });
    }
    if (outcome.failure === "too_large") throw malformed("the answer is larger than 1 MiB");
    throw new AppError("SIGNATURE_REMOTE_UNAVAILABLE", `cannot reach ${originOf(url)}`, {
      cause: outcome.cause,
      retryable: true,
    });
  }
  return jsonOf(outcome.answer, url);
}

function jsonOf(answer: HttpAnswer, url: string): unknown {
  const text = Buffer.from(answer.body).toString("utf8");
  if (answer.status < 200 || answer.status > 299) throw httpError(answer.status, text, url);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw malformed("the answer is not JSON", error);
  }
}

/** Maps an HTTP status to a stable code; the CSC error body (§10.1: error, error_description) goes in the message. */
function httpError(status: number, text: string, url: string): AppError {
  const detail = cscErrorText(text);
  const message = `${originOf(url)} answered HTTP ${status}${detail ? `: ${detail}` : ""}`;
  let code: ErrorCode = "SIGNATURE_REMOTE_REJECTED";
  if (status === 401 || status === 403) code = "SIGNATURE_REMOTE_UNAUTHORIZED";
  else if (status === 429 || status >= 500) code = "SIGNATURE_REMOTE_UNAVAILABLE";
  return new AppError(code, message, { retryable: code === "SIGNATURE_REMOTE_UNAVAILABLE" });
}

function cscErrorText(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    const parts = [body.error, body.error_description].filter((part) => typeof part === "string");
    return parts.length > 0 ? parts.join(" — ").slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

function base64List(value: unknown, field: string): Uint8Array[] {
  if (!Array.isArray(value) || value.length === 0) throw malformed(`${field} is missing or empty`);
  return value.map((item) => {
    if (typeof item !== "string" || !/^[A-Za-z0-9+/]+={0,2}$/.test(item.replace(/\s/g, ""))) {
      throw malformed(`${field} holds something that is not base64`);
    }
    return new Uint8Array(Buffer.from(item, "base64"));
  });
}

/** Some HSM gateways return ECDSA as raw r‖s (PKCS#11 style); CMS wants DER ECDSA-Sig-Value (RFC 5753 §2.1.1). */
function toDerEcdsa(signature: Uint8Array, key: KeyAlgorithm): Uint8Array {
  const size = key.kind === "ec" && key.namedCurve === "P-384" ? 48 : 32;
  if (signature[0] === 0x30 && signature[1] === signature.length - 2) return signature;
  if (signature.length !== size * 2) throw malformed("the ECDSA signature is neither DER nor raw r‖s");
  return ecdsaSignatureFromRaw(signature, size);
}

function publicKeyOf(leaf: Uint8Array | undefined): KeyObject {
  if (!leaf) throw new AppError("CERTIFICATE_MALFORMED", "no certificate for the remote signing credential");
  try {
    return new X509Certificate(leaf).publicKey;
  } catch (error) {
    throw new AppError("CERTIFICATE_MALFORMED", "the remote signing credential's certificate is not X.509", {
      cause: error,
    });
  }
}

function malformed(message: string, cause?: unknown): AppError {
  return new AppError("SIGNATURE_REMOTE_MALFORMED_RESPONSE", `remote signer: ${message}`, { cause });
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "the remote signer";
  }
}

function keyName(key: KeyAlgorithm): string {
  return key.kind === "rsa" ? `RSA ${key.modulusBits}` : `EC ${key.namedCurve}`;
}
