import { describe, expect, it } from "vitest";
import { encodeVpcdMessage, VpcdMessageDecoder } from "../../src/nfc/vpcdProtocol.js";

describe("vpcd framing", () => {
  it("prefixes a payload with its big-endian length", () => {
    expect([...encodeVpcdMessage(Uint8Array.of(1, 2, 3))]).toEqual([0, 3, 1, 2, 3]);
    expect([...encodeVpcdMessage(new Uint8Array(300)).subarray(0, 2)]).toEqual([0x01, 0x2c]);
  });

  it("refuses a payload a 2-byte length cannot carry", () => {
    expect(() => encodeVpcdMessage(new Uint8Array(0x10000))).toThrow(RangeError);
  });

  it("tells control messages from APDUs", () => {
    const decoder = new VpcdMessageDecoder();
    const messages = decoder.push(Uint8Array.of(0, 1, 0x04, 0, 5, 0xff, 0xca, 0, 0, 0));
    expect(messages).toEqual([
      { kind: "control", code: 0x04 },
      { kind: "apdu", apdu: Uint8Array.of(0xff, 0xca, 0, 0, 0) },
    ]);
  });

  it("reassembles frames split at any byte and drops empty frames", () => {
    const wire = Uint8Array.of(0, 0, 0, 1, 0x01, 0, 2, 0xaa, 0xbb);
    const decoder = new VpcdMessageDecoder();
    const seen = [];
    for (const byte of wire) seen.push(...decoder.push(Uint8Array.of(byte)));
    expect(seen).toEqual([
      { kind: "control", code: 0x01 },
      { kind: "apdu", apdu: Uint8Array.of(0xaa, 0xbb) },
    ]);
  });
});
