import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { EventBus } from "../../src/core/eventBus.js";

interface TestEvents {
  "door.opened": { door: string };
  "link.up": Record<string, never>;
}

function capturingBus() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { bus: new EventBus<TestEvents>(logger), lines };
}

describe("event bus", () => {
  it("delivers each payload synchronously, to the listeners in subscription order", () => {
    const { bus } = capturingBus();
    const heard: string[] = [];
    bus.on("door.opened", { name: "a" }, ({ door }) => heard.push(`a ${door}`));
    bus.on("door.opened", { name: "b" }, ({ door }) => heard.push(`b ${door}`));
    bus.on("link.up", { name: "a" }, () => heard.push("link"));
    bus.emit("door.opened", { door: "main" });
    expect(heard).toEqual(["a main", "b main"]);
  });

  it("logs a throwing listener, without the payload, and still calls the next ones", () => {
    const { bus, lines } = capturingBus();
    const heard: string[] = [];
    bus.on("door.opened", { name: "faulty" }, () => {
      throw new Error("boom");
    });
    bus.on("door.opened", { name: "doors" }, ({ door }) => heard.push(door));
    expect(() => bus.emit("door.opened", { door: "main" })).not.toThrow();
    expect(heard).toEqual(["main"]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      module: "gateway:bus",
      event: "door.opened",
      owner: "faulty",
      err: "boom",
      msg: "bus listener failed",
    });
    expect(JSON.stringify(lines[0])).not.toContain('"door":"main"');
  });

  it("removes every listener of one owner, and only those", () => {
    const { bus } = capturingBus();
    const heard: string[] = [];
    const feature = { name: "feature" };
    bus.on("door.opened", feature, () => heard.push("feature"));
    bus.on("link.up", feature, () => heard.push("feature link"));
    bus.on("door.opened", { name: "other" }, () => heard.push("other"));
    bus.removeListeners(feature);
    bus.emit("door.opened", { door: "main" });
    bus.emit("link.up", {});
    expect(heard).toEqual(["other"]);
    expect(bus.listenerCount("link.up")).toBe(0);
  });

  it("does not deliver to a listener added during the same emit", () => {
    const { bus } = capturingBus();
    const heard: string[] = [];
    bus.on("link.up", { name: "a" }, () => {
      heard.push("a");
      bus.on("link.up", { name: "late" }, () => heard.push("late"));
    });
    bus.emit("link.up", {});
    expect(heard).toEqual(["a"]);
    bus.emit("link.up", {});
    expect(heard).toEqual(["a", "a", "late"]);
  });
});
