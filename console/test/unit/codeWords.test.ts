import { accessReasons, closeReasons, eventTypes, exitKinds } from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { auditOutcomes } from "../../../cloud/src/audit/auditRecord.js";
import { en } from "../../src/i18n/en.js";
import { fr } from "../../src/i18n/fr.js";

/**
 * Every code the protocol defines has words in both languages (docs/console.md "Words, not
 * codes"): a code added to protocol/src/vocabulary.ts without its words fails here, naming it.
 */
const families: [prefix: string, codes: readonly string[]][] = [
  ["eventType", eventTypes],
  ["reason", accessReasons],
  ["closeReason", [...closeReasons, "correction"]],
  ["exitKind", exitKinds],
  ["auditOutcome", auditOutcomes],
  ["rounding", ["session-up", "session-nearest", "month-total"]],
  ["auditBroken", ["hash-mismatch", "broken-prev-link", "head-mismatch", "checkpoint-unvouched"]],
];

describe("words for the protocol's codes", () => {
  for (const [prefix, codes] of families) {
    it(`words every ${prefix} code in French and English`, () => {
      expect(codes.length).toBeGreaterThan(0);
      const catalogues = { fr, en } as Record<string, Record<string, string>>;
      const missing = codes.flatMap((code) =>
        Object.entries(catalogues)
          .filter(([, catalogue]) => {
            const words = catalogue[`${prefix}.${code}`];
            // Words, not the code again, and not left untranslated from the other language.
            return (
              words === undefined || words.trim() === "" || (words === code && /[.-]/.test(code))
            );
          })
          .map(([language]) => `${language}: ${prefix}.${code}`),
      );
      expect(missing).toEqual([]);
    });
  }

  it("gives different words in each language, so an English page never shows French", () => {
    const same = families.flatMap(([prefix, codes]) =>
      codes
        .map((code) => `${prefix}.${code}`)
        .filter(
          (key) => (fr as Record<string, string>)[key] === (en as Record<string, string>)[key],
        )
        // "{name}" and the like are placeholders, the same in both.
        .filter((key) => !/^\{\w+\}$/.test((fr as Record<string, string>)[key] ?? "")),
    );
    expect(same).toEqual([]);
  });

  it("words door.held-open as a person would say it", () => {
    expect(fr["eventType.door.held-open"]).toBe("Porte restée ouverte");
    expect(en["eventType.door.held-open"]).toBe("Door held open");
  });
});
