import { describe, expect, it } from "vitest";
import {
  generateSecret,
  hashSecret,
  hashToken,
  sameSecretText,
  verifySecret,
} from "../../src/security/secrets.js";

describe("secrets", () => {
  it("hashes with scrypt N=16384 r=8 p=1 and a fresh salt each time", async () => {
    const first = await hashSecret("correct horse battery staple");
    const second = await hashSecret("correct horse battery staple");
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(first).not.toBe(second);
  });

  it("verifies the right secret and refuses a wrong one", async () => {
    const stored = await hashSecret("s3cret-value");
    expect(await verifySecret("s3cret-value", stored)).toBe(true);
    expect(await verifySecret("s3cret-valuf", stored)).toBe(false);
    expect(await verifySecret("", stored)).toBe(false);
  });

  it("never matches a malformed or tampered hash", async () => {
    const stored = await hashSecret("x");
    expect(await verifySecret("x", "plain")).toBe(false);
    expect(await verifySecret("x", stored.replace("$16384$", "$1048577$"))).toBe(false);
    expect(await verifySecret("x", stored.replace("$16384$", "$16000$"))).toBe(false);
    expect(await verifySecret("x", stored.slice(0, -4))).toBe(false);
    const key = stored.split("$")[5] ?? "";
    const flipped = `${key[0] === "A" ? "B" : "A"}${key.slice(1)}`;
    expect(await verifySecret("x", stored.replace(key, flipped))).toBe(false);
  });

  it("hashes tokens with sha256 and compares in constant time", () => {
    const token = generateSecret();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(`${token}x`));
    expect(sameSecretText("abc", "abc")).toBe(true);
    expect(sameSecretText("abc", "abd")).toBe(false);
    expect(sameSecretText("abc", "abcd")).toBe(false);
  });
});
