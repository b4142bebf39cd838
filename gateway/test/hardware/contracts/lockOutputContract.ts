import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HardwareError, type LockOutput } from "../../../src/hardware/ports.js";
import { waitUntil } from "../support/waitUntil.js";

/** A LockOutput adapter and the device that hears it. */
export interface LockOutputHarness {
  lock: LockOutput;
  /** Every command the device received, as logical unlocked states, in order. */
  received(): boolean[];
  dispose(): Promise<void>;
}

/** The behaviour every LockOutput adapter owes the door state machine. */
export function describeLockOutputContract(
  adapterName: string,
  makeHarness: () => Promise<LockOutputHarness>,
  options: { timeoutMs?: number } = {},
): void {
  const timeoutMs = options.timeoutMs ?? 5000;

  describe(`LockOutput contract: ${adapterName}`, () => {
    let harness: LockOutputHarness;

    beforeEach(async () => {
      harness = await makeHarness();
    });

    afterEach(async () => {
      await harness.lock.stop();
      await harness.dispose();
    });

    const lastReceived = () => harness.received().at(-1);

    it("refuses a command before start, with a HardwareError", async () => {
      await expect(harness.lock.set(true)).rejects.toBeInstanceOf(HardwareError);
      expect(harness.lock.state()).toBeNull();
    });

    it("has no state before its first command", async () => {
      await harness.lock.start();
      expect(harness.lock.state()).toBeNull();
    });

    it("issues the command before returning: state() changes at once", async () => {
      await harness.lock.start();
      const pending = harness.lock.set(true);
      expect(harness.lock.state()).toBe(true);
      await pending;
      await waitUntil(() => lastReceived() === true, "the device to unlock", timeoutMs);
    });

    it("delivers a pulse (unlock then lock) to the device in order", async () => {
      await harness.lock.start();
      await harness.lock.set(true);
      await harness.lock.set(false);
      await waitUntil(() => harness.received().length >= 2, "both commands", timeoutMs);
      expect(harness.received().slice(-2)).toEqual([true, false]);
      expect(harness.lock.state()).toBe(false);
    });

    it("keeps commands in order when they are not awaited", async () => {
      await harness.lock.start();
      const sent = [true, false, true, false];
      await Promise.all(sent.map((unlocked) => harness.lock.set(unlocked)));
      await waitUntil(() => harness.received().length >= 4, "four commands", timeoutMs);
      expect(harness.received().slice(-4)).toEqual(sent);
    });

    it("refuses commands once stopped", async () => {
      await harness.lock.start();
      await harness.lock.set(false);
      await harness.lock.stop();
      await expect(harness.lock.set(true)).rejects.toBeInstanceOf(HardwareError);
    });
  });
}
