import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { LcusRelayBoard } from "../../src/relay/lcusRelayBoard.js";

describe("LcusRelayBoard", () => {
  it("keeps each channel's state and the history of commands", () => {
    let now = 1000;
    const board = new LcusRelayBoard({ channels: 2, clock: () => now });
    board.receive(Uint8Array.of(0xa0, 0x02, 0x01, 0xa3));
    now = 1500;
    board.receive(Uint8Array.of(0xa0, 0x02, 0x00, 0xa2));
    expect(board.isOn(1)).toBe(false);
    expect(board.isOn(2)).toBe(false);
    expect(board.history).toEqual([
      { channel: 2, on: true, at: 1000 },
      { channel: 2, on: false, at: 1500 },
    ]);
  });

  it("ignores a frame with a bad checksum and counts it", () => {
    const board = new LcusRelayBoard();
    const rejected: string[] = [];
    board.on("rejected", (r) => rejected.push(r.reason));
    board.receive(Uint8Array.of(0xa0, 0x01, 0x01, 0x00));
    expect(board.isOn(1)).toBe(false);
    expect(board.rejectedFrames).toBeGreaterThan(0);
    expect(rejected[0]).toBe("bad-checksum");
    expect(board.history).toEqual([]);
  });

  it("reads frames from an attached stream until detached", () => {
    const board = new LcusRelayBoard();
    const stream = new PassThrough();
    const detach = board.attach(stream);
    stream.write(Buffer.from([0xa0, 0x04, 0x01, 0xa5]));
    expect(board.isOn(4)).toBe(true);
    detach();
    stream.write(Buffer.from([0xa0, 0x04, 0x00, 0xa4]));
    expect(board.isOn(4)).toBe(true);
  });

  it("opens every relay on a power cycle and refuses odd channel counts", () => {
    const board = new LcusRelayBoard({ channels: 1 });
    board.receive(Uint8Array.of(0xa0, 0x01, 0x01, 0xa2));
    board.powerCycle();
    expect(board.isOn(1)).toBe(false);
    expect(() => new LcusRelayBoard({ channels: 3 })).toThrow(RangeError);
  });
});
