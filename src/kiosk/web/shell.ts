import { h } from "./dom.js";
import { TOOL_ICONS } from "./faces.js";
import type { Messages } from "./i18n/index.js";
import type { Preferences } from "./preferences.js";

/** The frame every screen sits in: header with the aids, the screen, the privacy notice, live regions. */
export interface Shell {
  entityLine: HTMLElement;
  tools: HTMLElement;
  screen: HTMLElement;
  languages: HTMLElement;
  anonymity: HTMLElement;
  syncStatus: HTMLElement;
  /** Polite announcements: the thank-you. */
  live: HTMLElement;
  /** Assertive announcements: errors. */
  alert: HTMLElement;
}

export function createShell(root: HTMLElement): Shell {
  const shell: Shell = {
    entityLine: h("p", { class: "entity" }),
    tools: h("div", { class: "tools", role: "group" }),
    screen: h("main", { id: "screen", class: "screen" }),
    languages: h("div", { class: "languages-slot" }),
    anonymity: h("p", { class: "anonymity" }),
    syncStatus: h("p", { class: "sync-status", hidden: true }),
    live: h("div", { class: "visually-hidden", role: "status", "aria-live": "polite" }),
    alert: h("div", { class: "visually-hidden", role: "alert" }),
  };
  root.replaceChildren(
    h("header", { class: "bar" }, shell.entityLine, shell.tools),
    shell.screen,
    shell.languages,
    h("footer", { class: "footer" }, shell.anonymity, shell.syncStatus),
    shell.live,
    shell.alert,
  );
  return shell;
}

/** The three aids as toggle buttons (`aria-pressed`), available on every screen but the thank-you. */
export function renderTools(
  shell: Shell,
  messages: Messages,
  preferences: Preferences,
  speechAvailable: boolean,
  toggle: (aid: keyof Preferences) => void,
): void {
  const aids: Array<[keyof Preferences, string]> = [
    ["largeText", messages.largeText],
    ["highContrast", messages.highContrast],
  ];
  if (speechAvailable) aids.push(["speech", messages.speech]);
  shell.tools.setAttribute("aria-label", messages.accessibility);
  shell.tools.replaceChildren(
    ...aids.map(([aid, label]) =>
      h(
        "button",
        {
          type: "button",
          class: `tool tool--${aid}`,
          "aria-pressed": preferences[aid] ? "true" : "false",
          onclick: () => toggle(aid),
        },
        h("span", { class: "tool-icon", html: TOOL_ICONS[aid] }),
        h("span", { class: "tool-label" }, label),
      ),
    ),
  );
}
