import type { Judgment, Language } from "../../shared/domain.js";

/**
 * The citizen's path through the kiosk, as a pure state machine (issue 3 §1):
 * services → faces → reasons (negative only) → thank you → back to start.
 * It decides; the controller persists the vote and renders.
 */

export type Screen = "services" | "faces" | "reasons" | "saving" | "thanks";

export interface FlowState {
  screen: Screen;
  serviceId: string | null;
  judgment: Judgment | null;
  language: Language;
}

/** What the flow needs to know about the kiosk it runs on. */
export interface FlowContext {
  serviceIds: readonly string[];
  defaultLanguage: Language;
  languages: readonly Language[];
}

export type FlowEvent =
  | { type: "chooseService"; serviceId: string }
  | { type: "chooseFace"; judgment: Judgment }
  | { type: "chooseReason"; reason: string | null }
  | { type: "chooseLanguage"; language: Language }
  | { type: "back" }
  | { type: "saved" }
  | { type: "saveFailed" }
  | { type: "thanksOver" }
  | { type: "idle" };

/** A vote the controller must write to the local queue before `saved`. */
export interface CastVote {
  serviceId: string;
  judgment: Judgment;
  reason: string | null;
}

export interface Transition {
  state: FlowState;
  cast?: CastVote;
}

/** The start screen: service tiles, or the faces straight away when the kiosk offers one service. */
export function startState(context: FlowContext): FlowState {
  const only = context.serviceIds.length === 1 ? (context.serviceIds[0] ?? null) : null;
  return {
    screen: only ? "faces" : "services",
    serviceId: only,
    judgment: null,
    language: context.defaultLanguage,
  };
}

export function isStart(state: FlowState, context: FlowContext): boolean {
  const start = startState(context);
  return state.screen === start.screen && state.language === context.defaultLanguage;
}

/** Whether the current screen is the first one (where languages can be switched). */
export function isStartScreen(state: FlowState, context: FlowContext): boolean {
  return state.screen === startState(context).screen;
}

export function transition(state: FlowState, event: FlowEvent, context: FlowContext): Transition {
  const stay = { state };
  switch (event.type) {
    case "chooseService":
      if (state.screen !== "services" || !context.serviceIds.includes(event.serviceId)) return stay;
      return { state: { ...state, screen: "faces", serviceId: event.serviceId } };
    case "chooseFace":
      if (state.screen !== "faces" || state.serviceId === null) return stay;
      if (event.judgment === "negative") return { state: { ...state, screen: "reasons", judgment: "negative" } };
      return saving(state, event.judgment, null);
    case "chooseReason":
      if (state.screen !== "reasons" || state.judgment !== "negative") return stay;
      return saving(state, "negative", event.reason);
    case "chooseLanguage":
      if (!isStartScreen(state, context) || !context.languages.includes(event.language)) return stay;
      return { state: { ...state, language: event.language } };
    case "back":
      if (state.screen === "reasons") return { state: { ...state, screen: "faces", judgment: null } };
      if (state.screen === "faces" && context.serviceIds.length > 1) {
        return { state: { ...state, screen: "services", serviceId: null } };
      }
      return stay;
    case "saved":
      return state.screen === "saving" ? { state: { ...state, screen: "thanks" } } : stay;
    case "saveFailed":
      // Nothing was stored: start over in the same language so the citizen can try again.
      return state.screen === "saving" ? { state: { ...startState(context), language: state.language } } : stay;
    case "thanksOver":
      // The next citizen starts in the default language (issue 3 §5).
      return state.screen === "thanks" ? { state: startState(context) } : stay;
    case "idle":
      // A vote being written is never interrupted; every other screen returns to start.
      return state.screen === "saving" ? stay : { state: startState(context) };
  }
}

function saving(state: FlowState, judgment: Judgment, reason: string | null): Transition {
  const serviceId = state.serviceId as string;
  return { state: { ...state, screen: "saving", judgment }, cast: { serviceId, judgment, reason } };
}

/** Whether input is accepted: never while a vote is being written or thanked for (anti-abuse, §7). */
export function acceptsInput(state: FlowState): boolean {
  return state.screen !== "saving" && state.screen !== "thanks";
}
