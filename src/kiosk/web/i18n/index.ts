import type { Language } from "../../../shared/domain.js";
import { de } from "./de.js";
import { en } from "./en.js";
import { fr } from "./fr.js";
import { it } from "./it.js";
import type { Messages } from "./messages.js";
import { sl } from "./sl.js";

export { format, type Messages } from "./messages.js";

/** Every language the kiosk ships texts for; Italian first (the default). */
export const CATALOGUES: Record<Language, Messages> = { it, en, de, fr, sl };

/** BCP 47 tags for `lang` attributes and speech synthesis voices. */
export const SPEECH_LOCALES: Record<Language, string> = {
  it: "it-IT",
  en: "en-GB",
  de: "de-DE",
  fr: "fr-FR",
  sl: "sl-SI",
};
