import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { seal, sealKeyFrom, unseal } from "../../src/security/sealedSecret.js";
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotp,
  otpauthUri,
  timeStep,
  totp,
} from "../../src/security/totp.js";

describe("HOTP and TOTP", () => {
  it("gives RFC 4226 Appendix D's HOTP values", () => {
    const key = Buffer.from("12345678901234567890");
    const expected = [
      "755224",
      "287082",
      "359152",
      "969429",
      "338314",
      "254676",
      "287922",
      "162583",
      "399871",
      "520489",
    ];
    expect(expected.map((_, i) => hotp(key, BigInt(i)))).toEqual(expected);
  });

  it("gives RFC 6238 Appendix B's TOTP values for SHA-1, SHA-256 and SHA-512", () => {
    const keys = {
      sha1: Buffer.from("12345678901234567890"),
      sha256: Buffer.from("12345678901234567890123456789012"),
      sha512: Buffer.from("1234567890123456789012345678901234567890123456789012345678901234"),
    } as const;
    const table: [number, string, string, string][] = [
      [59, "94287082", "46119246", "90693936"],
      [1111111109, "07081804", "68084774", "25091201"],
      [1111111111, "14050471", "67062674", "99943326"],
      [1234567890, "89005924", "91819424", "93441116"],
      [2000000000, "69279037", "90698825", "38618901"],
      [20000000000, "65353130", "77737706", "47863826"],
    ];
    for (const [seconds, sha1, sha256, sha512] of table) {
      const ms = seconds * 1000;
      expect(totp(keys.sha1, ms, { digits: 8 }), `${seconds} sha1`).toBe(sha1);
      expect(totp(keys.sha256, ms, { digits: 8, algorithm: "sha256" })).toBe(sha256);
      expect(totp(keys.sha512, ms, { digits: 8, algorithm: "sha512" })).toBe(sha512);
    }
  });

  it("accepts a code one step either side of now, once, and nothing else", () => {
    const key = Buffer.from("12345678901234567890");
    const now = 1_111_111_111_000;
    const step = timeStep(now);
    const previous = hotp(key, BigInt(step - 1));
    expect(matchTotp(key, previous, now, 0)).toBe(step - 1);
    expect(matchTotp(key, hotp(key, BigInt(step + 1)), now, 0)).toBe(step + 1);
    expect(matchTotp(key, hotp(key, BigInt(step - 2)), now, 0)).toBeUndefined();
    // Used at this step already: refused (RFC 6238 §5.2), and so is an older one.
    expect(matchTotp(key, hotp(key, BigInt(step)), now, step)).toBeUndefined();
    expect(matchTotp(key, previous, now, step - 1)).toBeUndefined();
    expect(matchTotp(key, "12345", now, 0)).toBeUndefined();
    expect(matchTotp(key, "abcdef", now, 0)).toBeUndefined();
    expect(
      matchTotp(
        key,
        `${hotp(key, BigInt(step)).slice(0, 3)} ${hotp(key, BigInt(step)).slice(3)}`,
        now,
        0,
      ),
    ).toBe(step);
  });

  it("writes base32 (RFC 4648 §10 vectors) and an otpauth URI apps read", () => {
    expect(base32Encode(Buffer.from("foobar"))).toBe("MZXW6YTBOI");
    expect(base32Encode(Buffer.from("f"))).toBe("MY");
    expect(base32Decode("MZXW6YTBOI======").toString()).toBe("foobar");
    const key = Buffer.from("12345678901234567890");
    const uri = new URL(otpauthUri("Passerelle", "ann@example.org", key));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Passerelle:ann@example.org");
    expect(base32Decode(uri.searchParams.get("secret") ?? "")).toEqual(key);
    expect(uri.searchParams.get("issuer")).toBe("Passerelle");
  });
});

describe("sealed secrets", () => {
  const { privateKey } = generateKeyPairSync("ed25519");
  const key = sealKeyFrom(privateKey, "totp v1");

  it("opens only with the same key and context, and never holds the plain text", () => {
    const secret = Buffer.from("12345678901234567890");
    const sealed = seal(key, secret, "user:1");
    expect(sealed).not.toContain(secret.toString("base64url"));
    expect(unseal(key, sealed, "user:1")).toEqual(secret);
    expect(unseal(key, sealed, "user:2")).toBeUndefined();
    const other = sealKeyFrom(generateKeyPairSync("ed25519").privateKey, "totp v1");
    expect(unseal(other, sealed, "user:1")).toBeUndefined();
    const parts = sealed.split(".");
    parts[3] = `A${(parts[3] ?? "").slice(1)}`;
    expect(unseal(key, parts.join("."), "user:1")).toBeUndefined();
    expect(unseal(key, "garbage", "user:1")).toBeUndefined();
  });
});
