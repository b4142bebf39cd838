import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DoorInput } from "../../../src/hardware/ports.js";
import { waitUntil } from "../support/waitUntil.js";

/** A DoorInput adapter and a way to move its line. */
export interface DoorInputHarness {
  input: DoorInput;
  /**
   * Moves the line to a logical level (active = door open or button pressed); the harness
   * applies its own wiring (active-low) so the contract speaks logical levels only.
   * The level starts inactive.
   */
  drive(active: boolean): Promise<void>;
  dispose(): Promise<void>;
}

/** The behaviour every DoorInput adapter owes the door state machine. */
export function describeDoorInputContract(
  adapterName: string,
  makeHarness: () => Promise<DoorInputHarness>,
): void {
  describe(`DoorInput contract: ${adapterName}`, () => {
    let harness: DoorInputHarness;
    let changes: { active: boolean; at: number }[];

    beforeEach(async () => {
      harness = await makeHarness();
      changes = [];
      harness.input.onChange((active, at) => changes.push({ active, at }));
    });

    afterEach(async () => {
      await harness.input.stop();
      await harness.dispose();
    });

    const startKnown = async () => {
      await harness.input.start();
      await waitUntil(() => harness.input.read() !== null, `${adapterName} to know its level`);
    };

    it("reads null before start and the current level after", async () => {
      expect(harness.input.read()).toBeNull();
      await harness.drive(true);
      await startKnown();
      expect(harness.input.read()).toBe(true);
    });

    it("reports each change once, in order, with its time", async () => {
      await startKnown();
      expect(harness.input.read()).toBe(false);
      await harness.drive(true);
      await waitUntil(() => changes.length >= 1, "the change to active");
      expect(harness.input.read()).toBe(true);
      await harness.drive(true); // no change: nothing to report
      await harness.drive(false);
      await waitUntil(() => changes.length >= 2, "the change back");
      expect(changes.map((c) => c.active)).toEqual([true, false]);
      expect(changes.every((c) => Number.isFinite(c.at) && c.at > 0)).toBe(true);
      expect(harness.input.read()).toBe(false);
    });

    it("stops calling a listener once it unsubscribed", async () => {
      const heard: boolean[] = [];
      harness.input.onChange((active) => heard.push(active))();
      await startKnown();
      await harness.drive(true);
      await waitUntil(() => changes.length >= 1, "a change");
      expect(heard).toEqual([]);
    });

    it("reads null once stopped, and the live level after a restart", async () => {
      await startKnown();
      await harness.input.stop();
      expect(harness.input.read()).toBeNull();
      await harness.drive(true);
      await startKnown();
      expect(harness.input.read()).toBe(true);
    });
  });
}
