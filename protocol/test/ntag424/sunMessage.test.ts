import { describe, expect, it } from "vitest";
import { aesEncryptBlock } from "../../src/ntag424/aesCmac.js";
import {
  cardFileReadKey,
  checkReadCounter,
  decryptPiccData,
  ndefFileForUri,
  parseSunUrl,
  readNdefUri,
  SunVerifier,
  sdmMac,
  sdmSessionMacKey,
  sunVerificationKeys,
  verifySunMessage,
} from "../../src/ntag424/index.js";

const hex = (value: string) => Buffer.from(value.replace(/\s+/g, ""), "hex");
const zeroKey = Buffer.alloc(16);

describe("SUN verification (NXP AN12196 examples)", () => {
  // AN12196 §3.4 (SUN message, PICC data and MAC): ?e=EF96…1E88&c=94EE…7086, all keys zero.
  const example = {
    encryptedPiccData: hex("EF963FF7828658A599F3041510671E88"),
    mac: hex("94EED9EE65337086"),
  };

  it("decrypts the PICC data to the UID and read counter", () => {
    const picc = decryptPiccData(zeroKey, example.encryptedPiccData);
    expect(picc?.uid).toEqual(hex("04DE5F1EACC040"));
    expect(picc?.readCounter).toBe(61);
  });

  it("derives the SDM session MAC key from SV2 and accepts the example MAC", () => {
    expect(sdmSessionMacKey(zeroKey, hex("04DE5F1EACC040"), 61)).toEqual(
      hex("3FB5F6E3A807A03D5E3570ACE393776F"),
    );
    const result = verifySunMessage(example, zeroKey, () => zeroKey);
    expect(result).toEqual({ ok: true, uid: hex("04DE5F1EACC040"), readCounter: 61 });
  });

  it("accepts AN12196's example with encrypted file data in the MAC input", () => {
    // ?picc_data=FD91…DF40&enc=CEE9…8962&cmac=ECC1…3BF6: the MAC covers "<enc hex>&cmac=".
    const result = verifySunMessage(
      {
        encryptedPiccData: hex("FD91EC264309878BE6345CBE53BADF40"),
        mac: hex("ECC1E7F6C6C73BF6"),
        macInput: Buffer.from("CEE9A53E3E463EF1F459635736738962&cmac=", "ascii"),
      },
      zeroKey,
      () => zeroKey,
    );
    expect(result).toEqual({ ok: true, uid: hex("04958CAA5C5E80"), readCounter: 8 });
  });

  it("computes the plain-mirroring example MAC (UID 041E3C8A2D6B80, counter 6)", () => {
    expect(sdmMac(zeroKey, hex("041E3C8A2D6B80"), 6, Buffer.alloc(0))).toEqual(
      hex("4B00064004B0B3D3"),
    );
  });

  it("refuses a wrong MAC, a wrong file-read key and a wrong meta-read key", () => {
    const badMac = Buffer.from(example.mac);
    badMac[7] = (badMac[7] as number) ^ 0x01;
    expect(verifySunMessage({ ...example, mac: badMac }, zeroKey, () => zeroKey)).toEqual({
      ok: false,
      failure: "invalid-mac",
    });
    const otherKey = Buffer.alloc(16, 1);
    expect(verifySunMessage(example, zeroKey, () => otherKey)).toEqual({
      ok: false,
      failure: "invalid-mac",
    });
    expect(verifySunMessage(example, otherKey, () => zeroKey)).toEqual({
      ok: false,
      failure: "malformed",
    });
  });

  it("refuses malformed lengths", () => {
    expect(
      verifySunMessage({ ...example, mac: example.mac.subarray(0, 7) }, zeroKey, () => zeroKey),
    ).toEqual({ ok: false, failure: "malformed" });
    expect(
      verifySunMessage(
        { ...example, encryptedPiccData: example.encryptedPiccData.subarray(0, 15) },
        zeroKey,
        () => zeroKey,
      ),
    ).toEqual({ ok: false, failure: "malformed" });
  });
});

describe("Passerelle card keys and a full round trip", () => {
  const master = hex("000102030405060708090a0b0c0d0e0f");
  const keys = sunVerificationKeys(master, 1);
  const uid = hex("04A1B2C3D4E5F6");

  /** What a card personalised with these keys mirrors for `counter` (as firmware-sim does). */
  function cardMessage(counter: number) {
    const plain = Buffer.alloc(16);
    plain[0] = 0xc7;
    uid.copy(plain, 1);
    plain.writeUIntLE(counter, 8, 3);
    plain.fill(0x5a, 11); // the card pads with random bytes
    return {
      encryptedPiccData: aesEncryptBlock(keys.metaReadKey, plain),
      mac: sdmMac(cardFileReadKey(keys, uid), uid, counter, Buffer.alloc(0)),
    };
  }

  it("verifies a message made with the diversified per-card key", () => {
    const result = verifySunMessage(cardMessage(5), keys.metaReadKey, (cardUid) =>
      cardFileReadKey(keys, cardUid),
    );
    expect(result).toEqual({ ok: true, uid, readCounter: 5 });
    const verifier = new SunVerifier(keys);
    expect(verifier.verify(cardMessage(6))).toEqual({ ok: true, uid, readCounter: 6 });
    expect(verifier.verify(cardMessage(7))).toEqual({ ok: true, uid, readCounter: 7 });
  });

  it("refuses a message under another key version (rotation)", () => {
    const next = sunVerificationKeys(master, 2);
    expect(next.metaReadKey).not.toEqual(keys.metaReadKey);
    const result = verifySunMessage(cardMessage(5), keys.metaReadKey, (cardUid) =>
      cardFileReadKey(next, cardUid),
    );
    expect(result).toEqual({ ok: false, failure: "invalid-mac" });
  });

  it("carries the message through an NDEF URI and back", () => {
    const message = cardMessage(9);
    const url = `https://p.example/t?e=${message.encryptedPiccData.toString("hex").toUpperCase()}&c=${message.mac.toString("hex").toUpperCase()}`;
    const read = readNdefUri(ndefFileForUri(url));
    expect(read).toEqual({ ok: true, uri: url });
    const parsed = read.ok ? parseSunUrl(read.uri) : null;
    expect(parsed).toEqual(message);
  });
});

describe("NDEF file and URL parsing refusals", () => {
  const file = ndefFileForUri(
    "https://p.example/t?e=00000000000000000000000000000000&c=0000000000000000",
  );

  it("refuses a truncated file (card removed mid-read)", () => {
    expect(readNdefUri(file.subarray(0, file.length - 1))).toEqual({
      ok: false,
      failure: "truncated",
    });
    expect(readNdefUri(file.subarray(0, 1))).toEqual({ ok: false, failure: "truncated" });
  });

  it("refuses a length larger than the NDEF file can be", () => {
    const oversized = Buffer.from(file);
    oversized.writeUInt16BE(300, 0);
    expect(readNdefUri(oversized)).toEqual({ ok: false, failure: "oversized" });
  });

  it("refuses a record that is not a URI and a URL without SUN parameters", () => {
    const text = Buffer.from(file);
    text[5] = 0x54; // "T": a text record
    expect(readNdefUri(text)).toEqual({ ok: false, failure: "not-a-uri" });
    expect(parseSunUrl("https://p.example/t?e=00&c=00")).toBeNull();
  });
});

describe("read counter replay rule", () => {
  it("accepts the first and greater counters, refuses equal and smaller ones", () => {
    expect(checkReadCounter(undefined, 0)).toEqual({ fresh: true, highest: 0 });
    expect(checkReadCounter(4, 5)).toEqual({ fresh: true, highest: 5 });
    expect(checkReadCounter(5, 5)).toEqual({ fresh: false, highest: 5 });
    expect(checkReadCounter(5, 3)).toEqual({ fresh: false, highest: 5 });
  });
});
