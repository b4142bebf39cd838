import { EventEmitter } from "node:events";

interface SimulatedBinaryInputEvents {
  change: [active: boolean, at: number];
}

/**
 * A two-state input at its logical level: a door contact (active = open) or an exit button
 * (active = pressed). Wiring details (pull-ups, active-low, bounce) belong to the real adapters.
 */
export class SimulatedBinaryInput extends EventEmitter<SimulatedBinaryInputEvents> {
  private level: boolean;
  private changedAt: number;

  constructor(
    readonly id: string,
    initial = false,
    private readonly clock: () => number = Date.now,
  ) {
    super();
    this.level = initial;
    this.changedAt = clock();
  }

  get active(): boolean {
    return this.level;
  }

  get since(): number {
    return this.changedAt;
  }

  /** Sets the level; only a real change is announced. */
  set(active: boolean): void {
    if (active === this.level) return;
    this.level = active;
    this.changedAt = this.clock();
    this.emit("change", active, this.changedAt);
  }
}

/** A door's reed contact: active while the door stands open. */
export class SimulatedDoorContact extends SimulatedBinaryInput {
  open(): void {
    this.set(true);
  }

  close(): void {
    this.set(false);
  }

  get isOpen(): boolean {
    return this.active;
  }
}

/** A request-to-exit button: active while held. */
export class SimulatedExitButton extends SimulatedBinaryInput {
  /** A short push: pressed, then released. */
  push(): void {
    this.set(true);
    this.set(false);
  }
}
