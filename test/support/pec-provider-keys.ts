/** The sandbox PEC provider's keys for tests: a dev CA and the provider certificate (P-256: fast to make). */
import {
  type DevCertificateSet,
  generateDevCertificates,
  Pkcs12Signer,
  type Signer,
} from "../../src/signature/index.js";

const EC = { kind: "ec", namedCurve: "P-256" } as const;

export interface PecProviderKeys {
  readonly set: DevCertificateSet;
  /** The dev CA, DER: the trust anchor of the provider's signatures. */
  readonly ca: Uint8Array;
  /** The provider certificate's signer, with its chain. */
  readonly signer: Signer;
}

export async function pecProviderKeys(now: Date): Promise<PecProviderKeys> {
  const set = await generateDevCertificates({
    ipa: "c_demo",
    entityName: "Comune di Demo",
    now,
    keys: { ca: EC, seal: EC, pecProvider: EC, samlSp: EC, tsa: EC },
  });
  const ca = set.ca.certificate;
  return { set, ca, signer: Pkcs12Signer.fromPkcs8(set.pecProvider.privateKey, [set.pecProvider.certificate, ca]) };
}
