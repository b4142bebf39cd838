import { describe, expect, it } from "vitest";
import { LcusFrameParser } from "../../src/relay/lcusFrameParser.js";

describe("LcusFrameParser", () => {
  it("reads the documented on and off frames of channel 1", () => {
    const parser = new LcusFrameParser(4);
    expect(parser.push(Uint8Array.of(0xa0, 0x01, 0x01, 0xa2, 0xa0, 0x01, 0x00, 0xa1))).toEqual([
      { kind: "command", channel: 1, on: true },
      { kind: "command", channel: 1, on: false },
    ]);
  });

  it("waits for the rest of a frame split across chunks", () => {
    const parser = new LcusFrameParser(4);
    expect(parser.push(Uint8Array.of(0xa0, 0x03))).toEqual([]);
    expect(parser.push(Uint8Array.of(0x01, 0xa4))).toEqual([
      { kind: "command", channel: 3, on: true },
    ]);
  });

  it("skips noise before a start byte", () => {
    const parser = new LcusFrameParser(4);
    expect(parser.push(Uint8Array.of(0x00, 0x55, 0xa0, 0x02, 0x00, 0xa2))).toEqual([
      { kind: "command", channel: 2, on: false },
    ]);
  });

  it("rejects a bad checksum and recovers on the next frame", () => {
    const parser = new LcusFrameParser(4);
    const results = parser.push(Uint8Array.of(0xa0, 0x01, 0x01, 0xa3, 0xa0, 0x01, 0x01, 0xa2));
    expect(results[0]).toMatchObject({ kind: "rejected", reason: "bad-checksum" });
    expect(results.at(-1)).toEqual({ kind: "command", channel: 1, on: true });
    expect(results.filter((r) => r.kind === "command")).toHaveLength(1);
  });

  it("rejects a channel the board does not have and a state other than 0 or 1", () => {
    const parser = new LcusFrameParser(2);
    expect(parser.push(Uint8Array.of(0xa0, 0x03, 0x01, 0xa4))[0]).toMatchObject({
      kind: "rejected",
      reason: "bad-channel",
    });
    expect(parser.push(Uint8Array.of(0xa0, 0x00, 0x01, 0xa1))[0]).toMatchObject({
      reason: "bad-channel",
    });
    expect(parser.push(Uint8Array.of(0xa0, 0x01, 0x02, 0xa3))[0]).toMatchObject({
      reason: "bad-state",
    });
  });
});
