import { describe, expect, it } from "vitest";
import {
  acceptsInput,
  type FlowContext,
  type FlowEvent,
  type FlowState,
  isStart,
  startState,
  transition,
} from "./flow.js";

const context: FlowContext = { serviceIds: ["s1", "s2"], defaultLanguage: "it", languages: ["it", "en", "de"] };
const single: FlowContext = { ...context, serviceIds: ["s1"] };

const state = (patch: Partial<FlowState>): FlowState => ({ ...startState(context), ...patch });

describe("kiosk flow", () => {
  it("starts on the service tiles, or on the faces when the kiosk offers one service", () => {
    expect(startState(context)).toEqual({ screen: "services", serviceId: null, judgment: null, language: "it" });
    expect(startState(single)).toEqual({ screen: "faces", serviceId: "s1", judgment: null, language: "it" });
  });

  it("casts a positive or sufficient vote straight from the faces", () => {
    const faces = transition(startState(context), { type: "chooseService", serviceId: "s2" }, context).state;
    for (const judgment of ["positive", "sufficient"] as const) {
      const { state: next, cast } = transition(faces, { type: "chooseFace", judgment }, context);
      expect(next.screen).toBe("saving");
      expect(cast).toEqual({ serviceId: "s2", judgment, reason: null });
    }
  });

  it("asks for a reason after a negative face, and casts with the reason or without it (skip)", () => {
    const faces = state({ screen: "faces", serviceId: "s1" });
    const reasons = transition(faces, { type: "chooseFace", judgment: "negative" }, context);
    expect(reasons.state.screen).toBe("reasons");
    expect(reasons.cast).toBeUndefined();
    expect(transition(reasons.state, { type: "chooseReason", reason: "attesa" }, context).cast).toEqual({
      serviceId: "s1",
      judgment: "negative",
      reason: "attesa",
    });
    expect(transition(reasons.state, { type: "chooseReason", reason: null }, context).cast?.reason).toBeNull();
  });

  it("shows the thank-you only once the vote is saved, then starts over in the default language", () => {
    const saving = state({ screen: "saving", serviceId: "s1", judgment: "positive", language: "en" });
    const thanks = transition(saving, { type: "saved" }, context).state;
    expect(thanks.screen).toBe("thanks");
    expect(thanks.language).toBe("en");
    expect(transition(thanks, { type: "thanksOver" }, context).state).toEqual(startState(context));
  });

  it("starts over in the same language when the vote could not be saved", () => {
    const saving = state({ screen: "saving", serviceId: "s1", judgment: "positive", language: "de" });
    expect(transition(saving, { type: "saveFailed" }, context).state).toEqual({
      ...startState(context),
      language: "de",
    });
  });

  it("switches language only on the start screen and only to the entity's languages", () => {
    expect(transition(startState(context), { type: "chooseLanguage", language: "en" }, context).state.language).toBe(
      "en",
    );
    expect(transition(startState(context), { type: "chooseLanguage", language: "sl" }, context).state.language).toBe(
      "it",
    );
    const faces = state({ screen: "faces", serviceId: "s1" });
    expect(transition(faces, { type: "chooseLanguage", language: "en" }, context).state).toBe(faces);
    const singleStart = startState(single);
    expect(transition(singleStart, { type: "chooseLanguage", language: "de" }, single).state.language).toBe("de");
  });

  it("goes back from reasons to faces, from faces to services, and nowhere from a single-service start", () => {
    const reasons = state({ screen: "reasons", serviceId: "s1", judgment: "negative" });
    expect(transition(reasons, { type: "back" }, context).state).toMatchObject({ screen: "faces", judgment: null });
    const faces = state({ screen: "faces", serviceId: "s1" });
    expect(transition(faces, { type: "back" }, context).state).toMatchObject({ screen: "services", serviceId: null });
    const singleStart = startState(single);
    expect(transition(singleStart, { type: "back" }, single).state).toBe(singleStart);
  });

  const everyScreen: FlowState[] = [
    state({}),
    state({ screen: "faces", serviceId: "s1", language: "en" }),
    state({ screen: "reasons", serviceId: "s1", judgment: "negative" }),
    state({ screen: "thanks", serviceId: "s1", judgment: "positive", language: "de" }),
  ];

  it.each(everyScreen)("returns to the start in the default language when idle on $screen", (from) => {
    expect(transition(from, { type: "idle" }, context).state).toEqual(startState(context));
  });

  it("never interrupts a vote being written", () => {
    const saving = state({ screen: "saving", serviceId: "s1", judgment: "positive" });
    const events: FlowEvent[] = [
      { type: "idle" },
      { type: "back" },
      { type: "thanksOver" },
      { type: "chooseFace", judgment: "negative" },
      { type: "chooseService", serviceId: "s2" },
      { type: "chooseReason", reason: null },
    ];
    for (const event of events) expect(transition(saving, event, context).state).toBe(saving);
    expect(acceptsInput(saving)).toBe(false);
  });

  it("ignores presses during the thank-you (anti-abuse) and events that do not fit the screen", () => {
    const thanks = state({ screen: "thanks", serviceId: "s1", judgment: "positive" });
    expect(acceptsInput(thanks)).toBe(false);
    expect(transition(thanks, { type: "chooseFace", judgment: "negative" }, context).state).toBe(thanks);
    expect(transition(state({}), { type: "chooseService", serviceId: "unknown" }, context).state.screen).toBe(
      "services",
    );
    expect(transition(state({}), { type: "chooseFace", judgment: "positive" }, context).cast).toBeUndefined();
    expect(transition(state({}), { type: "saved" }, context).state.screen).toBe("services");
  });

  it("knows when nobody is using the kiosk", () => {
    expect(isStart(startState(context), context)).toBe(true);
    expect(isStart(state({ language: "en" }), context)).toBe(false);
    expect(isStart(state({ screen: "faces", serviceId: "s1" }), context)).toBe(false);
  });
});
