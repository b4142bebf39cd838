import { describe, expect, it } from "vitest";
import { SunVerifier, sunVerifierFromKeysFile } from "../../src/index.js";

const metaReadKey = "00112233445566778899AABBCCDDEEFF";
const fileReadDiversifier = "0F0E0D0C0B0A09080706050403020100";

describe("the SUN keys file (one reader for the gateway and the cloud)", () => {
  it("gives a verifier for a well-formed file", () => {
    const text = JSON.stringify({ version: 1, metaReadKey, fileReadDiversifier });
    expect(sunVerifierFromKeysFile(text, "/etc/keys.json")).toBeInstanceOf(SunVerifier);
  });

  it("names the file and never echoes its content, whatever is wrong", () => {
    const cases = [
      `{"version": 1, "metaReadKey": "${metaReadKey}"`, // cut short: JSON.parse would quote it
      JSON.stringify({ version: 1, metaReadKey, fileReadDiversifier: "short" }),
      JSON.stringify({ version: "1", metaReadKey, fileReadDiversifier }),
      "null",
    ];
    for (const text of cases) {
      let message = "";
      try {
        sunVerifierFromKeysFile(text, "/etc/keys.json");
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^SUN keys file \/etc\/keys\.json: /);
      expect(message).not.toContain(metaReadKey);
      expect(message).not.toContain("0011");
    }
  });
});
