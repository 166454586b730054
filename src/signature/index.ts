/**
 * CAdES/PAdES signing and verification. Built by the digital-signature
 * issue; this module has no public surface yet.
 */
export {};
