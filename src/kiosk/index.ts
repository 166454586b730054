export { createKioskAdminRepository, type KioskView } from "./adapters/kiosk-admin-repository.js";
export { KIOSK_CHANGED_CHANNEL } from "./adapters/kiosk-notifications.js";
export { createKioskRepository, type KioskIdentity, type KioskRepository } from "./adapters/kiosk-repository.js";
export { createVoteWriter, type VoteWriter } from "./adapters/vote-writer.js";
export { DEFAULT_FACE_LABELS, type KioskProfile } from "./domain/profile.js";
export {
  MAX_VOTES_PER_BATCH,
  type VoteInput,
  type VoteRejection,
  type VoteRejectionCode,
} from "./domain/vote.js";
export { KIOSK_BODY_LIMIT_BYTES, kioskApi } from "./http/kiosk-api.js";
export { KIOSK_CONTENT_SECURITY_POLICY, kioskAppRoutes } from "./http/kiosk-app.js";
export { staffKioskApi } from "./http/staff-kiosk-api.js";
export { createIngestVotes, type IngestResult } from "./ingest-votes.js";
export { createKioskAuthenticator, type KioskAuthenticator } from "./kiosk-authenticator.js";
export { createKioskManagement, type KioskManagement, PAIRING_CODE_TTL_MS, type PairingCode } from "./manage-kiosks.js";
export { createPairKiosk } from "./pair-kiosk.js";
export { createProfileCache, type ProfileCache } from "./profile-cache.js";
