import { describe, expect, it } from "vitest";
import { ListenerSet } from "../../src/hardware/listenerSet.js";

describe("ListenerSet", () => {
  it("calls every listener, reports a throwing one and carries on", () => {
    const errors: unknown[] = [];
    const set = new ListenerSet<[number]>((error) => errors.push(error));
    const heard: number[] = [];
    set.add(() => {
      throw new Error("bug");
    });
    set.add((n) => heard.push(n));
    set.emit(7);
    expect(heard).toEqual([7]);
    expect(errors).toHaveLength(1);
  });

  it("unsubscribes one subscription even when the same function was added twice", () => {
    const set = new ListenerSet<[]>();
    let calls = 0;
    const listener = () => {
      calls += 1;
    };
    const first = set.add(listener);
    set.add(listener);
    first();
    first();
    set.emit();
    expect(calls).toBe(1);
    expect(set.size).toBe(1);
  });
});
