/** The dev SAML SP certificate and its signing credential for tests (other keys P-256: fast to make). */
import { type SamlSigningCredential, samlSigningCredential } from "../../src/identity/index.js";
import { type DevCertificateSet, generateDevCertificates } from "../../src/signature/index.js";

const EC = { kind: "ec", namedCurve: "P-256" } as const;

export async function samlSpKeys(
  entity: { ipa: string; entityName: string } = { ipa: "c_demo", entityName: "Comune di Demo" },
): Promise<{ set: DevCertificateSet; credential: SamlSigningCredential }> {
  const set = await generateDevCertificates({
    ...entity,
    now: new Date(),
    keys: { ca: EC, seal: EC, pecProvider: EC, tsa: EC },
  });
  return { set, credential: samlSigningCredential(set.samlSp.privateKey, set.samlSp.certificate) };
}
