import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { untilStopSignal } from "../../src/cli/stopSignals.js";

/** A stand-in for the process: signals emitted by hand, exits recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return { emitter, exits, source: { emitter, exit: (code: number) => exits.push(code) } };
}

describe("untilStopSignal", () => {
  it("resolves with the first signal and exits at once on the second, 128 + its number", async () => {
    const fake = fakeProcess();
    const forced: string[] = [];
    const stop = untilStopSignal((signal) => forced.push(signal), fake.source);
    fake.emitter.emit("SIGTERM", "SIGTERM");
    expect(await stop.received).toBe("SIGTERM");
    expect(fake.exits).toEqual([]);
    fake.emitter.emit("SIGINT", "SIGINT");
    expect(forced).toEqual(["SIGINT"]);
    expect(fake.exits).toEqual([130]);
  });

  it("ignores signals once the clean stop is done, rather than dying of them", async () => {
    const fake = fakeProcess();
    const forced: string[] = [];
    const stop = untilStopSignal((signal) => forced.push(signal), fake.source);
    fake.emitter.emit("SIGTERM", "SIGTERM");
    await stop.received;
    stop.stopped();
    fake.emitter.emit("SIGTERM", "SIGTERM");
    expect(forced).toEqual([]);
    expect(fake.exits).toEqual([]);
    expect(fake.emitter.listenerCount("SIGTERM")).toBe(1);
  });

  it("lets go of the signals once disposed", () => {
    const fake = fakeProcess();
    const stop = untilStopSignal(() => {}, fake.source);
    expect(fake.emitter.listenerCount("SIGTERM")).toBe(1);
    expect(fake.emitter.listenerCount("SIGINT")).toBe(1);
    stop.dispose();
    expect(fake.emitter.listenerCount("SIGTERM")).toBe(0);
    expect(fake.emitter.listenerCount("SIGINT")).toBe(0);
  });
});
