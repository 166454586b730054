/**
 * A version 4 UUID for a new vote: the id that makes resending harmless.
 * `crypto.randomUUID` exists only in secure contexts; a kiosk reached over
 * plain HTTP on the LAN still has `getRandomValues` (RFC 9562 §5.4).
 */
export function newVoteId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
