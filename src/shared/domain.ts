import { z } from "zod";

/** The three faces of "Mettiamoci la faccia". */
export const Judgment = z.enum(["positive", "sufficient", "negative"]);
export type Judgment = z.infer<typeof Judgment>;
export const JUDGMENTS = Judgment.options;

/** Where a vote was cast: at a desk kiosk, on the web, or by phone (MLF had all three). */
export const Channel = z.enum(["desk", "web", "phone"]);
export type Channel = z.infer<typeof Channel>;

/** An IPA code as the Indice PA writes it: lower-case letters, digits and underscores (`c_i662`). */
export const IpaCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{2,32}$/, "expected an IPA code such as c_h501");

/** A short, stable machine name (`tempo-attesa`, `anagrafe`). */
export const Slug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "expected lower-case letters, digits and dashes");

/** Language codes the kiosk ships catalogues for (Italian first; protected minorities' languages). */
export const Language = z.enum(["it", "en", "de", "fr", "sl"]);
export type Language = z.infer<typeof Language>;

export const Translations = z.partialRecord(Language, z.string().trim().min(1).max(200));
export type Translations = z.infer<typeof Translations>;
