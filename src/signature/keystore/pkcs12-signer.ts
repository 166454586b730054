import { constants, createPrivateKey, type KeyObject, sign, X509Certificate } from "node:crypto";
import { AppError } from "../../shared/errors.js";
import { readPkcs12 } from "../certificates/pkcs12.js";
import type { DigestAlgorithm, KeyAlgorithm, Signer } from "../signer.js";
import { keyAlgorithmOf, signDigestWithKey } from "./sign-digest.js";

/**
 * A signer whose key lives in this process: opened from a PKCS#12 file (entity seals, tests) or
 * given as a PKCS#8 key. A key on disk is not a QSCD, so this never makes a qualified signature;
 * that is the remote signer's job (reference/signature.md §0.6). The key stays in a private field:
 * it is not enumerable, so JSON.stringify and util.inspect never print it.
 */
export class Pkcs12Signer implements Signer {
  readonly certificateChain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
  readonly #privateKey: KeyObject;

  /** `certificateChain[0]` must be the certificate of `privateKey`. */
  constructor(privateKey: KeyObject, certificateChain: readonly Uint8Array[]) {
    const leaf = certificateChain[0];
    if (!leaf || !new X509Certificate(leaf).checkPrivateKey(privateKey)) {
      throw new AppError("P12_NO_KEY", "the first certificate of the chain does not belong to the private key");
    }
    this.keyAlgorithm = keyAlgorithmOf(privateKey);
    this.#privateKey = privateKey;
    this.certificateChain = certificateChain.map((der) => Uint8Array.from(der));
  }

  /**
   * Opens a PKCS#12 file with its password (read by the caller from the environment or a file).
   * The chain is the key's certificate followed by its issuers found in the file, leaf first.
   */
  static fromPkcs12(p12: Uint8Array, password: string): Pkcs12Signer {
    const contents = readPkcs12(p12, password);
    const certificates = contents.certificates.map((item) => ({ der: item.der, x509: new X509Certificate(item.der) }));
    for (const item of contents.privateKeys) {
      const key = createPrivateKey({ key: Buffer.from(item.der), format: "der", type: "pkcs8" });
      const leaf = certificates.find((certificate) => certificate.x509.checkPrivateKey(key));
      if (leaf) return new Pkcs12Signer(key, orderChain(leaf, certificates));
    }
    const why = contents.privateKeys.length === 0 ? "no private key" : "no certificate matching its private key";
    throw new AppError("P12_NO_KEY", `the PKCS#12 file holds ${why}`);
  }

  /** From an unencrypted PKCS#8 DER key (e.g. a dev certificate set) and its chain. */
  static fromPkcs8(privateKey: Uint8Array, certificateChain: readonly Uint8Array[]): Pkcs12Signer {
    return new Pkcs12Signer(
      createPrivateKey({ key: Buffer.from(privateKey), format: "der", type: "pkcs8" }),
      certificateChain,
    );
  }

  async sign(digest: Uint8Array, algorithm: DigestAlgorithm): Promise<Uint8Array> {
    return signDigestWithKey(this.#privateKey, digest, algorithm);
  }

  /** RSA PKCS#1 v1.5 or DER ECDSA over `message`, hashed and signed by OpenSSL. */
  async signMessage(message: Uint8Array, algorithm: DigestAlgorithm): Promise<Uint8Array> {
    return new Uint8Array(
      sign(algorithm, message, {
        key: this.#privateKey,
        ...(this.keyAlgorithm.kind === "rsa" ? { padding: constants.RSA_PKCS1_PADDING } : { dsaEncoding: "der" }),
      }),
    );
  }
}

type Candidate = { der: Uint8Array; x509: X509Certificate };

/**
 * Leaf, then each issuer present in the file — matched by name and key identifiers
 * (X509_check_issued) and by signature — stopping at a self-signed root.
 */
function orderChain(leaf: Candidate, certificates: readonly Candidate[]): Uint8Array[] {
  const chain = [leaf];
  for (let current = leaf; chain.length <= certificates.length; ) {
    if (current.x509.checkIssued(current.x509)) break;
    const issuer = certificates.find(
      (candidate) =>
        !chain.includes(candidate) &&
        current.x509.checkIssued(candidate.x509) &&
        current.x509.verify(candidate.x509.publicKey),
    );
    if (!issuer) break;
    chain.push(issuer);
    current = issuer;
  }
  return chain.map((item) => item.der);
}
