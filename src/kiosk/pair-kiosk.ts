import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { hashSecret, newToken, normalizePairingCode } from "../shared/secrets.js";
import type { KioskRepository } from "./adapters/kiosk-repository.js";
import type { KioskProfile } from "./domain/profile.js";
import type { KioskAuthenticator } from "./kiosk-authenticator.js";
import type { ProfileCache } from "./profile-cache.js";

export const KIOSK_TOKEN_PREFIX = "fk";

/** Exchanges a single-use pairing code for the kiosk's bearer token and profile. */
export function createPairKiosk({
  repo,
  authenticator,
  profiles,
  clock,
}: {
  repo: KioskRepository;
  authenticator: KioskAuthenticator;
  profiles: ProfileCache;
  clock: Clock;
}) {
  return async function pairKiosk(code: string): Promise<{ token: string; kiosk: KioskProfile }> {
    const token = newToken(KIOSK_TOKEN_PREFIX);
    const kioskId = await repo.redeemPairingCode(
      hashSecret(normalizePairingCode(code)),
      hashSecret(token),
      clock.now(),
    );
    if (!kioskId) {
      throw new AppError("KIOSK_PAIRING_CODE_INVALID", "the pairing code is wrong, already used or expired");
    }
    authenticator.forgetKiosk(kioskId); // the kiosk's previous token, if any, is void now
    const kiosk = await repo.findById(kioskId);
    const profile = kiosk ? await profiles.profile(kiosk, true) : null;
    if (!profile) throw new AppError("RESOURCE_NOT_FOUND", "kiosk not found");
    return { token, kiosk: profile };
  };
}
