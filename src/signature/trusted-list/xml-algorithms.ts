import {
  type BinaryLike,
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyLike,
  KeyObject,
  sign,
  verify,
} from "node:crypto";
import { createOptionalCallbackFunction, type HashAlgorithm, type SignatureAlgorithm } from "xml-crypto";

/**
 * The XMLDSig algorithms a trusted list may use, implemented on node:crypto and registered in
 * xml-crypto in place of its defaults. SHA-1 is refused (ETSI TS 119 312); HMAC is never offered
 * (a public certificate used as an HMAC key is the classic key-confusion attack). ECDSA values are
 * r || s as XMLDSig carries them (RFC 4051 §3.4.1), not DER.
 */
type Hash = "sha256" | "sha384" | "sha512";

function signatureAlgorithm(uri: string, hash: Hash, kind: "rsa" | "ecdsa"): new () => SignatureAlgorithm {
  const dsaEncoding = kind === "ecdsa" ? "ieee-p1363" : "der";
  return class implements SignatureAlgorithm {
    getSignature = createOptionalCallbackFunction((signedInfo: BinaryLike, privateKey: KeyLike) =>
      sign(hash, typeof signedInfo === "string" ? Buffer.from(signedInfo, "utf8") : signedInfo, {
        key: privateKey instanceof KeyObject ? privateKey : createPrivateKey(privateKey),
        dsaEncoding,
      }).toString("base64"),
    );
    verifySignature = createOptionalCallbackFunction((material: string, key: KeyLike, signatureValue: string) =>
      verify(
        hash,
        Buffer.from(material, "utf8"),
        { key: key instanceof KeyObject ? key : createPublicKey(key), dsaEncoding },
        Buffer.from(signatureValue, "base64"),
      ),
    );
    getAlgorithmName = () => uri;
  };
}

function hashAlgorithm(uri: string, hash: Hash): new () => HashAlgorithm {
  return class implements HashAlgorithm {
    getHash = (xml: string) => createHash(hash).update(xml, "utf8").digest("base64");
    getAlgorithmName = () => uri;
  };
}

const MORE = "http://www.w3.org/2001/04/xmldsig-more#";
const XMLENC = "http://www.w3.org/2001/04/xmlenc#";

/** RFC 6931 §2.3.2–2.3.6 signature method URIs. */
export const SIGNATURE_ALGORITHMS: Record<string, new () => SignatureAlgorithm> = Object.fromEntries(
  (["rsa", "ecdsa"] as const).flatMap((kind) =>
    (["sha256", "sha384", "sha512"] as const).map((hash) => {
      const uri = `${MORE}${kind}-${hash}`;
      return [uri, signatureAlgorithm(uri, hash, kind)];
    }),
  ),
);

/** RFC 6931 §2.1.2–2.1.3 and XML Encryption §5.7.2 digest method URIs. */
export const DIGEST_ALGORITHMS: Record<string, new () => HashAlgorithm> = Object.fromEntries(
  [`${XMLENC}sha256`, `${MORE}sha384`, `${XMLENC}sha512`].map((uri) => [
    uri,
    hashAlgorithm(uri, uri.endsWith("384") ? "sha384" : uri.endsWith("512") ? "sha512" : "sha256"),
  ]),
);

export const ENVELOPED_SIGNATURE_TRANSFORM = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/** Canonicalisations xml-crypto implements; XPath and XSLT transforms are refused. */
export const CANONICALIZATIONS = new Set([
  "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
  "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
  "http://www.w3.org/2001/10/xml-exc-c14n#",
  "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
]);
