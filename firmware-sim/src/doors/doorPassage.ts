import { setTimeout as sleep } from "node:timers/promises";
import type { SimulatedLock } from "../devices/simulatedLock.js";
import type { DoorHabits, PassagePlan } from "./doorHabits.js";
import type { ExitKind } from "./exitKind.js";
import type { SimulatedEntrance } from "./simulatedEntrance.js";

export type PassageOutcome =
  /** The lock clicked and the person went through. */
  | "passed"
  /** No click within the person's patience: denied, or the gateway is down. */
  | "refused"
  /** The reader is unplugged or failing: the card was not even read. */
  | "unread"
  /** Pulled a locked door open. */
  | "forced";

export interface PassageDeps {
  readonly habits: DoorHabits;
  readonly wait?: (ms: number) => Promise<void>;
}

/** Resolves true when the lock is (or becomes) unlocked within `timeoutMs`. */
export function lockReleased(lock: SimulatedLock, timeoutMs: number): Promise<boolean> {
  return lockBecomes(lock, true, timeoutMs);
}

/** Resolves true when the lock is (or becomes) `unlocked` within `timeoutMs`. */
export function lockBecomes(
  lock: SimulatedLock,
  unlocked: boolean,
  timeoutMs: number,
): Promise<boolean> {
  if (lock.unlocked === unlocked) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onCommand = (command: { unlocked: boolean }) => {
      if (command.unlocked !== unlocked) return;
      clearTimeout(timer);
      lock.off("command", onCommand);
      resolve(true);
    };
    const timer = setTimeout(() => {
      lock.off("command", onCommand);
      resolve(false);
    }, timeoutMs);
    lock.on("command", onCommand);
  });
}

async function walkThrough(
  entrance: SimulatedEntrance,
  plan: PassagePlan,
  wait: (ms: number) => Promise<void>,
): Promise<void> {
  await wait(plan.reactionMs);
  entrance.door.contact.open();
  await wait(plan.openMs);
  entrance.door.contact.close();
}

/**
 * A person badges at the entrance and, when the lock clicks, opens the door, walks through and
 * lets it close (or holds it). Without a click they give up, or, rarely, force the door.
 */
export async function enterWithBadge(
  entrance: SimulatedEntrance,
  uid: Uint8Array,
  plan: PassagePlan,
  deps: PassageDeps,
): Promise<PassageOutcome> {
  const wait = deps.wait ?? ((ms: number) => sleep(ms));
  const released = lockReleased(entrance.door.lock, deps.habits.unlockPatienceMs);
  if (!entrance.reader.tap(uid)) return "unread";
  if (await released) {
    await walkThrough(entrance, plan, wait);
    return "passed";
  }
  if (!plan.forced) return "refused";
  await walkThrough(entrance, plan, wait);
  return "forced";
}

/** A person leaves: presses the exit button, and goes through when the lock releases. */
export async function leaveByExitButton(
  entrance: SimulatedEntrance,
  plan: PassagePlan,
  deps: PassageDeps,
): Promise<PassageOutcome> {
  const wait = deps.wait ?? ((ms: number) => sleep(ms));
  const released = lockReleased(entrance.door.lock, deps.habits.unlockPatienceMs);
  entrance.door.exitButton.push();
  // Egress never depends on the network; a dead gateway still must not trap people, so they
  // open the door anyway (a real exit has a mechanical handle) and the gateway sees it forced.
  const outcome = (await released) ? "passed" : "forced";
  await walkThrough(entrance, plan, wait);
  return outcome;
}

/**
 * A person leaves through a free-egress door: pushes the lever and walks out. No lock, no
 * request to the gateway: it sees the door open and close without a grant.
 */
export async function leaveByFreeEgress(
  entrance: SimulatedEntrance,
  plan: PassagePlan,
  deps: PassageDeps,
): Promise<PassageOutcome> {
  await walkThrough(entrance, plan, deps.wait ?? ((ms: number) => sleep(ms)));
  return "passed";
}

/**
 * A person badges at the reader inside and goes through when the lock releases. Without a
 * click (no reader, the gateway down) they press the exit button, which is still there.
 */
export async function leaveByExitReader(
  entrance: SimulatedEntrance,
  uid: Uint8Array,
  plan: PassagePlan,
  deps: PassageDeps,
): Promise<PassageOutcome> {
  const wait = deps.wait ?? ((ms: number) => sleep(ms));
  const reader = entrance.exitReader;
  if (reader !== undefined) {
    const released = lockReleased(entrance.door.lock, deps.habits.unlockPatienceMs);
    if (reader.tap(uid) && (await released)) {
      await walkThrough(entrance, plan, wait);
      return "passed";
    }
  }
  return leaveByExitButton(entrance, plan, deps);
}

/** Leaves the way the entrance's door lets people out. */
export function leaveThrough(
  entrance: SimulatedEntrance,
  uid: Uint8Array,
  plan: PassagePlan,
  deps: PassageDeps,
): Promise<PassageOutcome> {
  const kind: ExitKind = entrance.exitKind;
  switch (kind) {
    case "exit-reader":
      return leaveByExitReader(entrance, uid, plan, deps);
    case "free-egress":
      return leaveByFreeEgress(entrance, plan, deps);
    case "exit-button":
      return leaveByExitButton(entrance, plan, deps);
  }
}

/**
 * One door, one person at a time: the contact is shared, so passages queue like people do.
 */
export class DoorQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  get length(): number {
    return this.waiting;
  }

  run<T>(passage: () => Promise<T>): Promise<T> {
    this.waiting += 1;
    const result = this.tail.then(passage).finally(() => {
      this.waiting -= 1;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
