import { EventEmitter } from "node:events";

export interface LockCommand {
  unlocked: boolean;
  at: number;
}

interface SimulatedLockEvents {
  command: [command: LockCommand];
}

/** A lock relay that remembers every command, so tests and scenarios can check the pulses. */
export class SimulatedLock extends EventEmitter<SimulatedLockEvents> {
  readonly commands: LockCommand[] = [];
  private current: boolean | null = null;

  constructor(
    readonly id: string,
    private readonly clock: () => number = Date.now,
  ) {
    super();
  }

  /** The last commanded state; null before the first command. */
  get unlocked(): boolean | null {
    return this.current;
  }

  apply(unlocked: boolean): void {
    this.current = unlocked;
    const command = { unlocked, at: this.clock() };
    this.commands.push(command);
    this.emit("command", command);
  }

  /** How many times the lock was released (a false-to-true edge, or the first true). */
  unlockCount(): number {
    let count = 0;
    let previous: boolean | null = null;
    for (const { unlocked } of this.commands) {
      if (unlocked && previous !== true) count += 1;
      previous = unlocked;
    }
    return count;
  }
}
