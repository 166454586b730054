/**
 * Optional spoken prompts for blind citizens with a headset (issue 3 §4; EAA
 * Annex I's "more than one sensory channel"), through the browser's own
 * speech synthesis: nothing leaves the device.
 */
export interface Speaker {
  readonly available: boolean;
  say(text: string, locale: string): void;
  stop(): void;
}

export function createSpeaker(): Speaker {
  const synth = typeof window !== "undefined" && "speechSynthesis" in window ? window.speechSynthesis : null;
  return {
    available: synth !== null,
    say(text, locale) {
      if (!synth) return;
      synth.cancel();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = locale;
      const voice = synth.getVoices().find((v) => v.lang.toLowerCase().startsWith(locale.slice(0, 2).toLowerCase()));
      if (voice) utterance.voice = voice;
      synth.speak(utterance);
    },
    stop() {
      synth?.cancel();
    },
  };
}
