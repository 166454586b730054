import type { Judgment, Language } from "../../shared/domain.js";
import type { KioskProfile } from "../domain/profile.js";
import { announce, h } from "./dom.js";
import {
  acceptsInput,
  type FlowContext,
  type FlowEvent,
  type FlowState,
  isStart,
  isStartScreen,
  startState,
  transition,
} from "./flow.js";
import { CATALOGUES, format, type Messages, SPEECH_LOCALES } from "./i18n/index.js";
import { flowEventForKey } from "./keys.js";
import { DEFAULT_PREFERENCES, idleTimeoutMs, isDefault, type Preferences } from "./preferences.js";
import {
  facesScreen,
  languageSwitch,
  pairingScreen,
  reasonsScreen,
  type ScreenModel,
  servicesScreen,
  thanksScreen,
} from "./screens.js";
import { createShell, renderTools, type Shell } from "./shell.js";
import type { Speaker } from "./speech.js";
import type { QueuedVote } from "./storage.js";
import type { SyncStatus } from "./sync-loop.js";

/**
 * The kiosk's screens and everything a citizen can do on them. It owns the
 * flow state and the per-citizen aids; persistence and networking are
 * injected, so the controller only decides what to show and when.
 */
export interface KioskAppDeps {
  root: HTMLElement;
  speaker: Speaker;
  /** Writes the vote durably; resolves only when it is on disk. */
  enqueue(vote: QueuedVote): Promise<void>;
  newVoteId(): string;
  now(): Date;
  /** Called after each vote is queued (the sync loop sends it). */
  onVoteQueued(): void;
  /** Called whenever the kiosk is back on its start screen with nobody using it. */
  onIdleAtStart(): void;
  pair(code: string): Promise<"paired" | "invalid" | "offline" | "failed">;
}

type Mode =
  | { kind: "loading" }
  | { kind: "pairing"; error: string | null; busy: boolean }
  | { kind: "voting"; profile: KioskProfile };

export interface KioskApp {
  showLoading(): void;
  showPairing(reason?: "revoked"): void;
  showVoting(profile: KioskProfile): void;
  /** A new profile from the gateway: applied at once if nobody is voting, otherwise at the next start. */
  updateProfile(profile: KioskProfile): void;
  showSyncStatus(status: SyncStatus): void;
  isIdleAtStart(): boolean;
}

export function createKioskApp(deps: KioskAppDeps): KioskApp {
  const shell: Shell = createShell(deps.root);
  let mode: Mode = { kind: "loading" };
  let flow: FlowState | null = null;
  let context: FlowContext | null = null;
  let preferences: Preferences = { ...DEFAULT_PREFERENCES };
  let nextProfile: KioskProfile | null = null;
  let renderedKey = "";
  let idleTimer = 0;
  let thanksTimer = 0;

  const language = (): Language =>
    flow?.language ?? (mode.kind === "voting" ? mode.profile.entity.defaultLanguage : "it");
  const messages = (): Messages => CATALOGUES[language()];

  function dispatch(event: FlowEvent): void {
    if (mode.kind !== "voting" || !flow || !context) return;
    const before = flow;
    const { state, cast } = transition(flow, event, context);
    flow = state;
    if (state.screen === "thanks" && before.screen !== "thanks") {
      announce(shell.live, `${messages().thanks} ${messages().thanksDetail}`);
      window.clearTimeout(thanksTimer);
      thanksTimer = window.setTimeout(
        () => dispatch({ type: "thanksOver" }),
        mode.profile.settings.thankYouSeconds * 1000,
      );
    }
    if (state !== before && (event.type === "idle" || event.type === "thanksOver")) resetForNextCitizen();
    render();
    if (cast) void save(cast.serviceId, cast.judgment, cast.reason);
  }

  async function save(serviceId: string, judgment: Judgment, reason: string | null) {
    const vote: QueuedVote = { id: deps.newVoteId(), serviceId, judgment, castAt: deps.now().toISOString() };
    if (reason) vote.reason = reason;
    try {
      await deps.enqueue(vote);
    } catch {
      dispatch({ type: "saveFailed" });
      announce(shell.alert, messages().saveFailed);
      return;
    }
    dispatch({ type: "saved" });
    deps.onVoteQueued();
  }

  /** The next citizen gets the default language and no aids (issue 3 §5), and any new profile. */
  function resetForNextCitizen() {
    preferences = { ...DEFAULT_PREFERENCES };
    deps.speaker.stop();
    if (nextProfile) {
      const profile = nextProfile;
      nextProfile = null;
      enterVoting(profile);
    }
    deps.onIdleAtStart();
  }

  function enterVoting(profile: KioskProfile) {
    mode = { kind: "voting", profile };
    context = {
      serviceIds: profile.services.map((s) => s.id),
      defaultLanguage: profile.entity.defaultLanguage,
      languages: profile.entity.languages,
    };
    flow = startState(context);
  }

  const actions: ScreenModel["actions"] = {
    service: (serviceId) => dispatch({ type: "chooseService", serviceId }),
    face: (judgment) => dispatch({ type: "chooseFace", judgment }),
    reason: (reason) => dispatch({ type: "chooseReason", reason }),
    back: () => dispatch({ type: "back" }),
  };

  function toggle(aid: keyof Preferences) {
    preferences = { ...preferences, [aid]: !preferences[aid] };
    if (aid === "speech" && !preferences.speech) deps.speaker.stop();
    renderedKey = "";
    render();
    restartIdle();
  }

  function screenNodes(): Node[] {
    if (mode.kind === "loading") return [h("p", { class: "loading", role: "status" }, messages().loading)];
    if (mode.kind === "pairing") {
      return pairingScreen({ messages: messages(), error: mode.error, busy: mode.busy, submit: submitPairing });
    }
    const model: ScreenModel = {
      profile: mode.profile,
      language: language(),
      messages: messages(),
      serviceId: flow?.serviceId ?? null,
      actions,
    };
    switch (flow?.screen) {
      case "services":
        return servicesScreen(model);
      case "reasons":
        return reasonsScreen(model);
      case "thanks":
        return thanksScreen(messages());
      default:
        return facesScreen(model);
    }
  }

  function render() {
    const lang = language();
    const text = messages();
    const root = document.documentElement;
    root.lang = lang;
    root.classList.toggle("large-text", preferences.largeText);
    root.classList.toggle("high-contrast", preferences.highContrast);
    document.title = mode.kind === "voting" ? `${text.appTitle} · ${mode.profile.entity.name}` : text.appTitle;
    shell.entityLine.textContent =
      mode.kind === "voting"
        ? [mode.profile.entity.name, mode.profile.office.name].filter(Boolean).join(" · ")
        : "Faccia";
    shell.anonymity.textContent = text.anonymity;
    const screen = mode.kind === "voting" ? (flow?.screen ?? "") : mode.kind;
    const key = `${mode.kind}|${screen}|${flow?.serviceId ?? ""}|${lang}|${mode.kind === "pairing" ? `${mode.error}|${mode.busy}` : ""}`;
    if (screen === "saving") {
      // The vote is being written (milliseconds): keep the screen, refuse input.
      shell.screen.setAttribute("aria-busy", "true");
      return;
    }
    shell.screen.removeAttribute("aria-busy");
    if (screen === "thanks") shell.tools.replaceChildren();
    else renderTools(shell, text, preferences, deps.speaker.available, toggle);
    const atStart = mode.kind === "voting" && flow && context && isStartScreen(flow, context);
    shell.languages.replaceChildren(
      ...(atStart && mode.kind === "voting" && mode.profile.entity.languages.length > 1
        ? [languageSwitch(mode.profile, lang, text, (l) => dispatch({ type: "chooseLanguage", language: l }))]
        : []),
    );
    if (key === renderedKey) return;
    renderedKey = key;
    shell.screen.replaceChildren(...screenNodes());
    shell.screen.dataset.screen = screen;
    const focusTarget = shell.screen.querySelector<HTMLElement>(mode.kind === "pairing" ? "input" : "#screen-title");
    focusTarget?.focus({ preventScroll: true });
    speakScreen();
  }

  function speakScreen() {
    if (!preferences.speech) return;
    const lines = [shell.screen.querySelector("h1")?.textContent ?? ""];
    shell.screen.querySelectorAll<HTMLButtonElement>("button[data-key]").forEach((button) => {
      lines.push(`${button.dataset.key}: ${spokenLabel(button)}`);
    });
    deps.speaker.say(lines.join(". "), SPEECH_LOCALES[language()]);
  }

  async function submitPairing(code: string) {
    mode = { kind: "pairing", error: null, busy: true };
    render();
    const outcome = await deps.pair(code);
    if (outcome === "paired") return; // the boot code calls showVoting
    const text = messages();
    const error =
      outcome === "invalid" ? text.pairingInvalid : outcome === "offline" ? text.pairingOffline : text.pairingFailed;
    mode = { kind: "pairing", error, busy: false };
    render();
    announce(shell.alert, error);
  }

  function onKey(event: KeyboardEvent) {
    if (mode.kind !== "voting" || !flow || event.altKey || event.ctrlKey || event.metaKey) return;
    if (!acceptsInput(flow)) {
      event.preventDefault();
      return;
    }
    const command = flowEventForKey(event, flow.screen, mode.profile);
    if (!command) return;
    event.preventDefault();
    dispatch(command);
  }

  function restartIdle() {
    window.clearTimeout(idleTimer);
    if (mode.kind !== "voting") return;
    idleTimer = window.setTimeout(onIdle, idleTimeoutMs(mode.profile.settings.idleSeconds, preferences));
  }

  function onIdle() {
    if (mode.kind !== "voting" || !flow || !context) return;
    if (!isStart(flow, context) || !isDefault(preferences)) dispatch({ type: "idle" });
  }

  // Any touch, key or focus move counts as activity (switch devices move focus).
  for (const type of ["pointerdown", "keydown", "focusin"]) document.addEventListener(type, restartIdle, true);
  document.addEventListener("keydown", onKey);
  // Spoken guidance follows the focus, so a headset user hears each button as they reach it.
  document.addEventListener("focusin", (event) => {
    const target = event.target as HTMLElement | null;
    if (preferences.speech && target?.tagName === "BUTTON")
      deps.speaker.say(spokenLabel(target), SPEECH_LOCALES[language()]);
  });

  function showVoting(profile: KioskProfile) {
    nextProfile = null;
    enterVoting(profile);
    renderedKey = "";
    render();
    restartIdle();
    performance.mark("faccia:interactive");
  }

  return {
    showVoting,
    showLoading() {
      mode = { kind: "loading" };
      render();
    },
    showPairing(reason) {
      window.clearTimeout(idleTimer);
      flow = null;
      context = null;
      mode = { kind: "pairing", error: reason === "revoked" ? CATALOGUES.it.pairingRevoked : null, busy: false };
      render();
    },
    updateProfile(profile) {
      if (mode.kind !== "voting") return;
      if (flow && context && isStart(flow, context) && isDefault(preferences)) showVoting(profile);
      else nextProfile = profile;
    },
    showSyncStatus(status) {
      const offline = status.failures > 0 && status.depth > 0;
      shell.syncStatus.hidden = !offline;
      shell.syncStatus.textContent = offline ? format(messages().pending, { count: status.depth }) : "";
    },
    isIdleAtStart: () =>
      mode.kind === "voting" && !!flow && !!context && isStart(flow, context) && isDefault(preferences),
  };
}

/** What a button says, without its key hint. */
function spokenLabel(button: HTMLElement): string {
  const label = button.querySelector(".label, .face-label, .tool-label") ?? button;
  return (label.textContent ?? "").replace(/\s+/g, " ").trim();
}
