import type { Clock } from "../../shared/clock.js";
import type { SpProfileRecord } from "../adapters/login-repository.js";
import { buildSpMetadata, type SamlFederation, type SamlSigningCredential } from "../saml/index.js";
import { spMetadataConfig } from "./service-provider.js";

/** Signed metadata is cached this long: each one costs an RSA signature, and anyone may ask. */
const CACHE_MS = 60_000;

export type MetadataAnswer = { xml: string } | { problem: string };

/**
 * The SP metadata the gateway publishes (issue 7): the operating entity's name and SP profile,
 * the gateway's URLs and certificate. A missing or incomplete profile is an Italian explanation
 * for the page, not an error: metadata is what an operator checks first.
 */
export function createSpMetadataSource(deps: {
  /** IPA code of the operating entity (FACCIA_SAML_SP_ENTITY). */
  operatorIpa: string | undefined;
  entityByIpa(ipaCode: string): Promise<{ id: string; name: string } | null>;
  spProfile(entityId: string): Promise<SpProfileRecord | null>;
  entityId(): string;
  baseUrl(): string;
  credential: SamlSigningCredential;
  clock: Clock;
}) {
  const cache = new Map<string, { at: number; answer: MetadataAnswer }>();

  async function build(federation: SamlFederation): Promise<MetadataAnswer> {
    const ipa = deps.operatorIpa;
    if (!ipa) return { problem: "Manca FACCIA_SAML_SP_ENTITY: il codice IPA dell'ente che gestisce il servizio." };
    const entity = await deps.entityByIpa(ipa);
    if (!entity) return { problem: `L'ente ${ipa} (FACCIA_SAML_SP_ENTITY) non esiste.` };
    const profile = await deps.spProfile(entity.id);
    if (!profile) return { problem: `Manca il profilo SAML dell'ente ${ipa}: impostarlo con 'faccia sp set'.` };
    const sp = { entityId: deps.entityId(), baseUrl: deps.baseUrl(), certificate: deps.credential.certificate };
    try {
      return {
        xml: buildSpMetadata(
          spMetadataConfig(federation, sp, { ipaCode: ipa, name: entity.name }, profile),
          deps.credential,
        ),
      };
    } catch (error) {
      // checkMetadataConfig: e.g. CIE without the municipality's Belfiore code.
      return { problem: `Profilo incompleto per ${federation.toUpperCase()}: ${(error as Error).message}` };
    }
  }

  return {
    async metadata(federation: SamlFederation): Promise<MetadataAnswer> {
      const key = `${federation} ${deps.baseUrl()}`;
      const now = deps.clock.now().getTime();
      const cached = cache.get(key);
      if (cached && now - cached.at < CACHE_MS) return cached.answer;
      const answer = await build(federation);
      // A problem is not cached: the operator fixes the profile and reloads.
      if ("xml" in answer) cache.set(key, { at: now, answer });
      return answer;
    },
  };
}
