import { describe, expect, it } from "vitest";
import {
  SimulatedDoorContact,
  SimulatedExitButton,
} from "../../src/devices/simulatedBinaryInput.js";
import { SimulatedLock } from "../../src/devices/simulatedLock.js";
import { SimulatedReader } from "../../src/devices/simulatedReader.js";

describe("SimulatedReader", () => {
  it("reads a presented card once and not while it stays on the reader", () => {
    const reader = new SimulatedReader("r", () => 42);
    const reads: string[] = [];
    reader.on("badge", (uid, at) => reads.push(`${Buffer.from(uid).toString("hex")}@${at}`));
    expect(reader.present(Uint8Array.of(1, 2, 3, 4))).toBe(true);
    expect(reader.hasCard()).toBe(true);
    reader.remove();
    reader.tap(Uint8Array.of(5, 6, 7, 8));
    expect(reads).toEqual(["01020304@42", "05060708@42"]);
    expect(reader.hasCard()).toBe(false);
  });

  it("reads nothing while unplugged and reports its state changes", () => {
    const reader = new SimulatedReader("r");
    const states: string[] = [];
    reader.on("status", (state, error) => states.push(error ? `${state}:${error}` : state));
    reader.setState("disconnected");
    expect(reader.present(Uint8Array.of(1, 2, 3, 4))).toBe(false);
    reader.setState("error", "antenna fault");
    reader.setState("error", "antenna fault");
    reader.setState("connected");
    expect(states).toEqual(["disconnected", "error:antenna fault", "connected"]);
  });
});

describe("simulated inputs and lock", () => {
  it("announces only real changes of a door contact", () => {
    const contact = new SimulatedDoorContact("c");
    const changes: boolean[] = [];
    contact.on("change", (active) => changes.push(active));
    contact.open();
    contact.open();
    contact.close();
    expect(changes).toEqual([true, false]);
    expect(contact.isOpen).toBe(false);
  });

  it("pushes an exit button as press then release", () => {
    const button = new SimulatedExitButton("b");
    const changes: boolean[] = [];
    button.on("change", (active) => changes.push(active));
    button.push();
    expect(changes).toEqual([true, false]);
  });

  it("records lock commands and counts releases", () => {
    const lock = new SimulatedLock("l", () => 7);
    expect(lock.unlocked).toBeNull();
    lock.apply(false);
    lock.apply(true);
    lock.apply(true);
    lock.apply(false);
    lock.apply(true);
    expect(lock.unlocked).toBe(true);
    expect(lock.unlockCount()).toBe(2);
    expect(lock.commands[0]).toEqual({ unlocked: false, at: 7 });
  });
});
