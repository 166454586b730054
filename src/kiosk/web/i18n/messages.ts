/**
 * The kiosk's own texts. One catalogue per language (it.ts, en.ts, …); the
 * entity's service, reason and face names come from its configuration.
 * `{name}`-style placeholders are filled by `format`.
 */
export interface Messages {
  /** The language's own name, shown on its switch button. */
  languageName: string;
  appTitle: string;
  anonymity: string;
  chooseService: string;
  rateService: string;
  rateNamedService: string;
  chooseReason: string;
  skipReason: string;
  back: string;
  thanks: string;
  thanksDetail: string;
  languages: string;
  accessibility: string;
  largeText: string;
  highContrast: string;
  speech: string;
  keyHint: string;
  saveFailed: string;
  pending: string;
  pairingTitle: string;
  pairingHelp: string;
  pairingCode: string;
  pairingSubmit: string;
  pairingBusy: string;
  pairingInvalid: string;
  pairingOffline: string;
  pairingFailed: string;
  pairingRevoked: string;
  loading: string;
}

/** Fills `{key}` placeholders; unknown keys stay visible so a mistake shows up in review. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
