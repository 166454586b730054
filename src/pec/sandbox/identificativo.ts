/**
 * The provider's id of a message (daticert `identificativo`, the busta di trasporto's
 * Message-ID; RFC 6109 §4.3), shaped like the OpenPEC-lineage ids seen at Aruba, Sogei and
 * Namirial: `opec288.20181113163926.01838.310.1.63@pec.aruba.it` (reference/pec.md §3, §10.2).
 */
import { randomInt } from "node:crypto";
import type { ProviderIdentity } from "./envelope-fields.js";
import { PROVIDER_TIME_ZONE, providerTime } from "./provider-time.js";

/** The "version" field after `opec`: fixed, it only has to look like the real thing. */
const OPEC_VERSION = 2;

/**
 * `opec<ver>.<yyyymmddhhmmss>.<pid>.<seq>.1.<instance>@<domain>`: the provider's local time of
 * acceptance, this process, a counter, and a random instance number so two sandboxes started
 * in the same second do not share ids.
 */
export function createIdentificativi(provider: ProviderIdentity): (at: Date) => string {
  const instance = randomInt(1, 100);
  let sequence = 0;
  return (at) => {
    sequence += 1;
    const time = providerTime(at, provider.timeZone ?? PROVIDER_TIME_ZONE);
    const [day = "", month = "", year = ""] = time.day.split("/");
    const stamp = `${year}${month}${day}${time.time.replaceAll(":", "")}`;
    const pid = String(process.pid).padStart(5, "0");
    return `opec${OPEC_VERSION}.${stamp}.${pid}.${sequence}.1.${instance}@${provider.domain}`;
  };
}
