import { describe, expect, it } from "vitest";
import { CATALOGUES, format, SPEECH_LOCALES } from "./index.js";
import { it as italian } from "./it.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("kiosk text catalogues", () => {
  it.each(Object.entries(CATALOGUES))(
    "%s has every text, non-empty, with the same placeholders as Italian",
    (_, messages) => {
      expect(Object.keys(messages).sort()).toEqual(Object.keys(italian).sort());
      for (const [key, text] of Object.entries(messages)) {
        expect(text.trim(), key).not.toBe("");
        expect(placeholders(text), key).toEqual(placeholders(italian[key as keyof typeof italian]));
      }
    },
  );

  it("has a speech locale for each language", () => {
    expect(Object.keys(SPEECH_LOCALES).sort()).toEqual(Object.keys(CATALOGUES).sort());
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(format("{count} in attesa", { count: 3 })).toBe("3 in attesa");
    expect(format("servizio «{service}»", {})).toBe("servizio «{service}»");
  });
});
