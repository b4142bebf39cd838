import { describe, expect, it } from "vitest";
import { decodeLcusFrame, encodeLcusFrame } from "../../../src/hardware/serialRelay/lcusFrame.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("LCUS relay frame", () => {
  it("matches the vendor sheet's examples for relay 1", () => {
    expect(hex(encodeLcusFrame(1, true))).toBe("a00101a2");
    expect(hex(encodeLcusFrame(1, false))).toBe("a00100a1");
  });

  it("carries the channel and a checksum over start, channel and state", () => {
    expect(hex(encodeLcusFrame(4, true))).toBe("a00401a5");
    expect(hex(encodeLcusFrame(8, false))).toBe("a00800a8");
  });

  it("refuses channels the boards do not have", () => {
    for (const channel of [0, 9, 1.5, -1]) {
      expect(() => encodeLcusFrame(channel, true)).toThrow(RangeError);
    }
  });

  it("decodes what it encodes and refuses corrupted frames", () => {
    for (let channel = 1; channel <= 8; channel += 1) {
      for (const on of [true, false])
        expect(decodeLcusFrame(encodeLcusFrame(channel, on))).toEqual({ channel, on });
    }
    expect(decodeLcusFrame(Uint8Array.of(0xa0, 0x01, 0x01, 0xa3))).toBeNull();
    expect(decodeLcusFrame(Uint8Array.of(0xa1, 0x01, 0x01, 0xa3))).toBeNull();
    expect(decodeLcusFrame(Uint8Array.of(0xa0, 0x01, 0x02, 0xa3))).toBeNull();
    expect(decodeLcusFrame(Uint8Array.of(0xa0, 0x01, 0x01))).toBeNull();
  });
});
