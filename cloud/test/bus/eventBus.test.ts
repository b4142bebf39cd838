import { PassThrough } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { EventBus } from "../../src/bus/eventBus.js";

interface TestEvents {
  "thing.happened": { readonly id: string };
  "other.happened": { readonly n: number };
}

function recordingBus() {
  const lines: Record<string, unknown>[] = [];
  const stream = new PassThrough();
  stream.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
  });
  const bus = new EventBus<TestEvents>(pino({ level: "info" }, stream));
  return { bus, lines };
}

describe("EventBus", () => {
  it("calls every listener of an event with its payload, in subscription order", () => {
    const { bus } = recordingBus();
    const heard: string[] = [];
    bus.on("thing.happened", { name: "a" }, ({ id }) => heard.push(`a:${id}`));
    bus.on("thing.happened", { name: "b" }, ({ id }) => heard.push(`b:${id}`));
    bus.on("other.happened", { name: "c" }, ({ n }) => heard.push(`c:${n}`));
    bus.emit("thing.happened", { id: "1" });
    expect(heard).toEqual(["a:1", "b:1"]);
  });

  it("removes all of one owner's listeners, on every event, and no one else's", () => {
    const { bus } = recordingBus();
    const owner = { name: "feature" };
    const heard: string[] = [];
    bus.on("thing.happened", owner, () => heard.push("owner:thing"));
    bus.on("other.happened", owner, () => heard.push("owner:other"));
    bus.on("thing.happened", { name: "someone else" }, () => heard.push("else:thing"));
    bus.removeListeners(owner);
    bus.emit("thing.happened", { id: "1" });
    bus.emit("other.happened", { n: 1 });
    expect(heard).toEqual(["else:thing"]);
    expect(bus.listenerCount("other.happened")).toBe(0);
  });

  it("logs a listener that throws with the event and its owner, and still calls the others", async () => {
    const { bus, lines } = recordingBus();
    const heard: string[] = [];
    bus.on("thing.happened", { name: "broken" }, () => {
      throw new Error("boom");
    });
    bus.on("thing.happened", { name: "fine" }, () => heard.push("fine"));
    expect(() => bus.emit("thing.happened", { id: "1" })).not.toThrow();
    expect(heard).toEqual(["fine"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: "event listener failed",
        event: "thing.happened",
        owner: "broken",
        module: "cloud:bus",
      }),
    );
  });

  it("logs a listener whose promise rejects instead of leaving an unhandled rejection", async () => {
    const { bus, lines } = recordingBus();
    bus.on("other.happened", { name: "async" }, async () => {
      throw new Error("later");
    });
    bus.emit("other.happened", { n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "event listener failed", owner: "async" }),
    );
  });
});
