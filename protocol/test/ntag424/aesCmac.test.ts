import { describe, expect, it } from "vitest";
import { aesCmac, aesCmacViaCbc, cmacSubkeys } from "../../src/ntag424/aesCmac.js";
import { diversifyAes128Key } from "../../src/ntag424/keyDiversification.js";

const hex = (value: string) => Buffer.from(value.replace(/\s+/g, ""), "hex");

// RFC 4493 section 4: AES-128 key and the four example messages.
const rfcKey = hex("2b7e1516 28aed2a6 abf71588 09cf4f3c");
const rfcMessage = hex(
  "6bc1bee2 2e409f96 e93d7e11 7393172a ae2d8a57 1e03ac9c 9eb76fac 45af8e51" +
    "30c81c46 a35ce411 e5fbc119 1a0a52ef f69f2445 df4f9b17 ad2b417b e66c3710",
);

describe("AES-128 CMAC (RFC 4493 examples)", () => {
  it("derives the subkeys K1 and K2", () => {
    const { k1, k2 } = cmacSubkeys(rfcKey);
    expect(k1.toString("hex")).toBe("fbeed618357133667c85e08f7236a8de");
    expect(k2.toString("hex")).toBe("f7ddac306ae266ccf90bc11ee46d513b");
  });

  it.each([
    [0, "bb1d6929e95937287fa37d129b756746"],
    [16, "070a16b46b4d4144f79bdd9dd04a287c"],
    [40, "dfa66747de9ae63030ca32611497c827"],
    [64, "51f0bebf7e3b9d92fc49741779363cfe"],
  ])("example with a %i-byte message", (length, expected) => {
    expect(aesCmac(rfcKey, rfcMessage.subarray(0, length)).toString("hex")).toBe(expected);
    expect(aesCmacViaCbc(rfcKey, rfcMessage.subarray(0, length)).toString("hex")).toBe(expected);
  });

  it("changes with any flipped message bit and refuses a short key", () => {
    const flipped = Buffer.from(rfcMessage.subarray(0, 40));
    flipped[39] = (flipped[39] as number) ^ 1;
    expect(aesCmac(rfcKey, flipped).toString("hex")).not.toBe("dfa66747de9ae63030ca32611497c827");
    expect(() => aesCmac(rfcKey.subarray(0, 8), rfcMessage)).toThrow(RangeError);
  });
});

describe("AN10922 AES-128 key diversification", () => {
  it("gives the application note's diversified key", () => {
    // AN10922 §2.2.1: UID 04782E21801D80, AID 3042F5, system identifier "NXP Abu".
    const input = hex("04782E21801D80 3042F5 4E585020416275");
    expect(diversifyAes128Key(hex("00112233445566778899AABBCCDDEEFF"), input)).toEqual(
      hex("A8DD63A3B89D54B37CA802473FDA9175"),
    );
  });

  it("gives different keys for different UIDs and refuses oversized input", () => {
    const master = hex("00112233445566778899AABBCCDDEEFF");
    expect(diversifyAes128Key(master, hex("04782E21801D81"))).not.toEqual(
      diversifyAes128Key(master, hex("04782E21801D80")),
    );
    expect(() => diversifyAes128Key(master, Buffer.alloc(32))).toThrow(RangeError);
  });
});
