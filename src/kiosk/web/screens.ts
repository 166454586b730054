import type { Judgment, Language } from "../../shared/domain.js";
import type { KioskProfile } from "../domain/profile.js";
import { h } from "./dom.js";
import { faceSvg, THANKS_SVG } from "./faces.js";
import { CATALOGUES, format, type Messages } from "./i18n/index.js";
import { JUDGMENT_ORDER } from "./keys.js";

/**
 * DOM builders for each screen. Every action is a real `<button>` with a
 * visible label (WCAG 4.1.2), a key hint for keypads (`aria-keyshortcuts`),
 * and a target far above 2 cm (the stylesheet sets the minimum).
 */

export interface ScreenActions {
  service(id: string): void;
  face(judgment: Judgment): void;
  reason(code: string | null): void;
  back(): void;
}

export interface ScreenModel {
  profile: KioskProfile;
  language: Language;
  messages: Messages;
  serviceId: string | null;
  actions: ScreenActions;
}

export function serviceName(profile: KioskProfile, id: string | null, language: Language): string {
  const service = profile.services.find((s) => s.id === id);
  return service ? (service.names[language] ?? service.name) : "";
}

function heading(text: string): HTMLHeadingElement {
  return h("h1", { id: "screen-title", tabindex: -1 }, text);
}

function keyed(key: string, messages: Messages, className: string, onClick: () => void, ...label: Node[]) {
  return h(
    "button",
    { type: "button", class: className, "aria-keyshortcuts": key, "data-key": key, onclick: onClick },
    ...label,
    h("span", { class: "key-hint", "aria-hidden": "true", title: format(messages.keyHint, { key }) }, key),
  );
}

export function servicesScreen(model: ScreenModel): Node[] {
  const { profile, language, messages, actions } = model;
  const tiles = profile.services.map((service, index) =>
    keyed(
      String(index + 1),
      messages,
      "tile",
      () => actions.service(service.id),
      text(service.names[language] ?? service.name),
    ),
  );
  return [
    heading(messages.chooseService),
    h("div", { class: "tiles", role: "group", "aria-labelledby": "screen-title" }, ...tiles),
  ];
}

export function facesScreen(model: ScreenModel): Node[] {
  const { profile, language, messages, actions } = model;
  const name = serviceName(profile, model.serviceId, language);
  const title = name ? format(messages.rateNamedService, { service: name }) : messages.rateService;
  const labels = profile.labels[language] ?? profile.labels[profile.entity.defaultLanguage];
  const faces = JUDGMENT_ORDER.map((judgment, index) =>
    keyed(
      String(index + 1),
      messages,
      `face face--${judgment}`,
      () => actions.face(judgment),
      h("span", { class: "face-art", html: faceSvg(judgment) }),
      text(labels?.[judgment] ?? judgment, "face-label"),
    ),
  );
  return [
    heading(title),
    h("div", { class: "faces", role: "group", "aria-labelledby": "screen-title" }, ...faces),
    profile.services.length > 1 ? backButton(model) : null,
  ].filter((node): node is HTMLElement => node !== null);
}

export function reasonsScreen(model: ScreenModel): Node[] {
  const { profile, language, messages, actions } = model;
  const reasons = profile.reasons.map((reason, index) =>
    keyed(
      String(index + 1),
      messages,
      "reason",
      () => actions.reason(reason.code),
      text(reason.labels[language] ?? reason.label),
    ),
  );
  const skip = keyed("0", messages, "reason reason--skip", () => actions.reason(null), text(messages.skipReason));
  return [
    heading(messages.chooseReason),
    h("div", { class: "reasons", role: "group", "aria-labelledby": "screen-title" }, ...reasons, skip),
    backButton(model),
  ];
}

export function thanksScreen(messages: Messages): Node[] {
  return [
    h("div", { class: "thanks-art", html: THANKS_SVG }),
    heading(messages.thanks),
    h("p", { class: "thanks-detail" }, messages.thanksDetail),
  ];
}

function backButton({ messages, actions }: ScreenModel): HTMLElement {
  return h(
    "button",
    { type: "button", class: "back", "aria-keyshortcuts": "Escape", onclick: () => actions.back() },
    messages.back,
  );
}

function text(value: string, className = "label"): HTMLSpanElement {
  return h("span", { class: className }, value);
}

export interface PairingModel {
  messages: Messages;
  error: string | null;
  busy: boolean;
  submit(code: string): void;
}

export function pairingScreen(model: PairingModel): Node[] {
  const { messages } = model;
  const input = h("input", {
    id: "pairing-code",
    name: "code",
    autocomplete: "off",
    autocapitalize: "characters",
    spellcheck: "false",
    required: true,
    minlength: 4,
    maxlength: 32,
    "aria-describedby": model.error ? "pairing-help pairing-error" : "pairing-help",
    "aria-invalid": model.error ? "true" : null,
  });
  const form = h(
    "form",
    {
      class: "pairing",
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (!model.busy && input.value.trim().length >= 4) model.submit(input.value.trim());
      },
    },
    h("label", { for: "pairing-code" }, messages.pairingCode),
    input,
    model.error ? h("p", { id: "pairing-error", class: "error" }, model.error) : null,
    h(
      "button",
      { type: "submit", class: "primary", disabled: model.busy },
      model.busy ? messages.pairingBusy : messages.pairingSubmit,
    ),
  );
  return [heading(messages.pairingTitle), h("p", { id: "pairing-help" }, messages.pairingHelp), form];
}

/** The language switch of the start screen: each language named in itself, with its own `lang`. */
export function languageSwitch(
  profile: KioskProfile,
  current: Language,
  messages: Messages,
  choose: (l: Language) => void,
) {
  return h(
    "nav",
    { class: "languages", "aria-label": messages.languages },
    ...profile.entity.languages.map((language) =>
      h(
        "button",
        {
          type: "button",
          lang: language,
          "aria-pressed": language === current ? "true" : "false",
          onclick: () => choose(language),
        },
        CATALOGUES[language].languageName,
      ),
    ),
  );
}
