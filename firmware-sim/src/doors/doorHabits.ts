import type { SeededRandom } from "../scenario/seededRandom.js";

/**
 * How people handle a door, in real (wall-clock) milliseconds: the gateway judges pulses and
 * held-open alarms on the wall clock, so these are never sped up by the scenario's speed.
 */
export interface DoorHabits {
  /** How long a person waits for the click before giving up (the lock never came). */
  readonly unlockPatienceMs: number;
  /** From the click to pushing the door. */
  readonly reactionMs: readonly [min: number, max: number];
  /** The door stands open while the person walks through. */
  readonly passMs: readonly [min: number, max: number];
  /** Someone holds the door (a delivery, a chat): longer than the gateway's held-open limit. */
  readonly holdChance: number;
  readonly holdMs: readonly [min: number, max: number];
  /** Someone pulls a locked door hard enough to open it: the forced-open alarm. */
  readonly forceChance: number;
  /**
   * After someone came in, the next person at that door starts this long after it closed:
   * nobody walks out through the door the very second another comes in. (The gateway reads a
   * door cycle starting within 5 s of an entry grant as that entry's, not as an exit.)
   */
  readonly settleAfterEntryMs: number;
}

export const defaultDoorHabits: DoorHabits = {
  unlockPatienceMs: 2000,
  reactionMs: [300, 1200],
  passMs: [2000, 5000],
  holdChance: 0.02,
  holdMs: [35_000, 45_000],
  forceChance: 0.002,
  settleAfterEntryMs: 3000,
};

/** What one person will do at the door this time, drawn once so a passage is reproducible. */
export interface PassagePlan {
  readonly reactionMs: number;
  readonly openMs: number;
  readonly held: boolean;
  readonly forced: boolean;
}

export function planPassage(habits: DoorHabits, random: SeededRandom): PassagePlan {
  const held = random.chance(habits.holdChance);
  const range = held ? habits.holdMs : habits.passMs;
  return {
    reactionMs: random.int(habits.reactionMs[0], habits.reactionMs[1]),
    openMs: random.int(range[0], range[1]),
    held,
    forced: random.chance(habits.forceChance),
  };
}
