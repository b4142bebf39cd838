import { describe, expect, it } from "vitest";
import {
  decodeKeypad,
  decodeKeySet,
  decodeLedCommand,
  decodeLocalStatus,
  decodePdCapabilities,
  decodePdId,
  decodeRawCard,
  encodeKeypad,
  encodeKeySet,
  encodeLedCommand,
  encodeLocalStatus,
  encodePdCapabilities,
  encodePdId,
  encodeRawCard,
  OsdpColor,
} from "../../src/osdp/index.js";

describe("OSDP message payloads", () => {
  it("round-trips LED, PDID, PDCAP, RAW card, keypad, local status and KEYSET", () => {
    const led = {
      reader: 0,
      led: 0,
      color: OsdpColor.green,
      durationMs: 3000,
      restingColor: OsdpColor.red,
    };
    expect(decodeLedCommand(encodeLedCommand(led))).toEqual(led);
    const id = {
      vendorCode: Buffer.from([0x0a, 0x0b, 0x0c]),
      model: 2,
      version: 1,
      serialNumber: 0x01020304,
      firmware: "1.4.2",
    };
    expect(decodePdId(encodePdId(id))).toEqual(id);
    const caps = [{ functionCode: 9, compliance: 1, count: 1 }];
    expect(decodePdCapabilities(encodePdCapabilities(caps))).toEqual(caps);
    const raw = { reader: 0, format: 0, bitCount: 56, data: Buffer.from("04a1b2c3d4e5f6", "hex") };
    expect(decodeRawCard(encodeRawCard(raw))).toEqual(raw);
    expect(decodeKeypad(encodeKeypad({ reader: 0, keys: "1234#" }))).toEqual({
      reader: 0,
      keys: "1234#",
    });
    expect(decodeLocalStatus(encodeLocalStatus({ tamper: true, powerFailure: false }))).toEqual({
      tamper: true,
      powerFailure: false,
    });
    const key = Buffer.alloc(16, 7);
    expect(decodeKeySet(encodeKeySet(key))).toEqual(key);
  });

  it("refuses payloads of the wrong size", () => {
    expect(decodeRawCard(Buffer.from([0, 0, 56, 0, 1, 2]))).toBeNull();
    expect(decodeKeypad(Buffer.from([0, 5, 0x31]))).toBeNull();
    expect(decodeKeypad(Buffer.from([0, 1, 0x41]))).toBeNull();
    expect(decodeLocalStatus(Buffer.from([0]))).toBeNull();
    expect(decodeKeySet(Buffer.alloc(10))).toBeNull();
    expect(decodeLedCommand(Buffer.alloc(13))).toBeNull();
  });
});
