import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { hashSecret, newPairingCode } from "../shared/secrets.js";
import type { KioskAdminRepository, KioskDraft, KioskView } from "./adapters/kiosk-admin-repository.js";
import type { KioskRepository } from "./adapters/kiosk-repository.js";
import type { KioskAuthenticator } from "./kiosk-authenticator.js";
import type { ProfileCache } from "./profile-cache.js";

/** Pairing codes live this long (issue 2: "expire after 15 minutes"). */
export const PAIRING_CODE_TTL_MS = 15 * 60 * 1000;

export interface PairingCode {
  code: string;
  expiresAt: string;
}

export interface ManageKiosksDeps {
  admin: KioskAdminRepository;
  authenticator: KioskAuthenticator;
  kiosks: KioskRepository;
  profiles: ProfileCache;
  clock: Clock;
}

/** Staff-side kiosk use cases: create, change, revoke, and hand out pairing codes. */
export function createKioskManagement({ admin, authenticator, kiosks, profiles, clock }: ManageKiosksDeps) {
  async function requireKiosk(entityId: string, id: string): Promise<KioskView> {
    const kiosk = await admin.get(entityId, id);
    if (!kiosk) throw new AppError("RESOURCE_NOT_FOUND", `kiosk ${id} not found`);
    return kiosk;
  }

  async function checkPlacement(entityId: string, draft: Partial<KioskDraft>, current?: KioskView): Promise<void> {
    const placement = await admin.placement(entityId);
    const officeId = draft.officeId ?? current?.officeId;
    if (officeId !== undefined && !placement.officeIds.includes(officeId)) {
      throw new AppError("RESOURCE_NOT_FOUND", `office ${officeId} not found in this entity`);
    }
    const deskId = draft.deskId === undefined ? current?.deskId : draft.deskId;
    if (deskId && placement.deskOffice.get(deskId) !== officeId) {
      throw new AppError("RESOURCE_NOT_FOUND", `desk ${deskId} not found in office ${officeId}`);
    }
    const unknown = (draft.serviceIds ?? []).filter((id) => !placement.serviceIds.has(id));
    if (unknown.length > 0) throw new AppError("RESOURCE_NOT_FOUND", `services not found: ${unknown.join(", ")}`);
  }

  async function issuePairingCode(kioskId: string): Promise<PairingCode> {
    const code = newPairingCode();
    const expiresAt = new Date(clock.now().getTime() + PAIRING_CODE_TTL_MS);
    await kiosks.addPairingCode(kioskId, hashSecret(code), expiresAt);
    return { code, expiresAt: expiresAt.toISOString() };
  }

  return {
    list: (entityId: string) => admin.list(entityId),
    get: requireKiosk,

    async create(entityId: string, draft: KioskDraft): Promise<{ kiosk: KioskView; pairing: PairingCode }> {
      await checkPlacement(entityId, draft);
      if (await admin.findByName(entityId, draft.name)) {
        throw new AppError("RESOURCE_CONFLICT", `a kiosk named "${draft.name}" already exists`);
      }
      const id = await admin.create(entityId, draft);
      const pairing = await issuePairingCode(id);
      return { kiosk: await requireKiosk(entityId, id), pairing };
    },

    async update(entityId: string, id: string, changes: Partial<KioskDraft>): Promise<KioskView> {
      const current = await requireKiosk(entityId, id);
      await checkPlacement(entityId, changes, current);
      await admin.update(id, changes, clock.now());
      authenticator.forgetKiosk(id);
      profiles.invalidate(entityId);
      return requireKiosk(entityId, id);
    },

    async revoke(entityId: string, id: string): Promise<KioskView> {
      await requireKiosk(entityId, id);
      await admin.revoke(id, clock.now());
      authenticator.forgetKiosk(id);
      profiles.invalidate(entityId);
      return requireKiosk(entityId, id);
    },

    async pairingCode(entityId: string, id: string): Promise<PairingCode> {
      await requireKiosk(entityId, id);
      return issuePairingCode(id);
    },

    /**
     * For `faccia kiosk pair-code`: a code for the kiosk with this name,
     * creating the kiosk (at the entity's first office) if it does not exist.
     */
    async pairingCodeByName(
      entityId: string,
      name: string,
      officeId?: string,
    ): Promise<PairingCode & { kiosk: KioskView }> {
      const existing = await admin.findByName(entityId, name);
      if (existing) return { ...(await issuePairingCode(existing.id)), kiosk: existing };
      const placement = await admin.placement(entityId);
      const office = officeId ?? placement.officeIds[0];
      if (!office) throw new AppError("RESOURCE_NOT_FOUND", "the entity has no office yet: create one first");
      const { kiosk, pairing } = await this.create(entityId, { name, officeId: office });
      return { ...pairing, kiosk };
    },
  };
}

export type KioskManagement = ReturnType<typeof createKioskManagement>;
