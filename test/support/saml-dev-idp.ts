/** The parties of the development IdP's tests: an SP with the dev SAML certificate, and the IdP's own key. */
import { createDevIdpCredential, type DevIdpServiceProvider } from "../../src/identity/dev-idp/index.js";
import type { SamlSigningCredential } from "../../src/identity/index.js";
import { samlSpKeys } from "./saml-sp-keys.js";

export const DEV_IDP_TEST_BASE = "http://localhost:8080";

export interface DevIdpTestParties {
  readonly spCredential: SamlSigningCredential;
  readonly idpCredential: SamlSigningCredential;
  /** The gateway as the IdP knows it: its ACS, SLO and signing certificate. */
  readonly sp: DevIdpServiceProvider;
}

export async function devIdpTestParties(): Promise<DevIdpTestParties> {
  const { credential: spCredential } = await samlSpKeys();
  return {
    spCredential,
    idpCredential: await createDevIdpCredential(new Date()),
    sp: {
      entityId: "https://gateway.comune.example.it/spid",
      acsUrl: "https://gateway.comune.example.it/auth/spid/acs",
      sloUrl: "https://gateway.comune.example.it/auth/spid/slo",
      certificates: [spCredential.certificate],
    },
  };
}

/** The refusal code the dev IdP's error page shows, in its `<code>` element. */
export async function devIdpErrorCode(response: Response): Promise<string | undefined> {
  return /<code>([A-Z_]+)<\/code>/.exec(await response.text())?.[1];
}
