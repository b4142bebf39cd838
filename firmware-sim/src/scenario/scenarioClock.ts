/**
 * Simulated time for people's routines: starts at `dayStart` (a local morning) and runs
 * `speed` times faster than the wall clock, so a working day fits in a few minutes. Doors,
 * bundles and bookings keep the wall clock: gateways and the cloud are never told about it.
 */
export class ScenarioClock {
  private readonly realStart: number;

  constructor(
    readonly simStart: number,
    readonly speed: number,
    private readonly realNow: () => number = Date.now,
  ) {
    if (!(speed > 0)) throw new Error("speed must be a positive number");
    this.realStart = realNow();
  }

  now(): number {
    return this.simStart + (this.realNow() - this.realStart) * this.speed;
  }

  /** Real milliseconds until simulated time `at` (0 when it has passed). */
  realDelayUntil(at: number): number {
    return Math.max(0, (at - this.now()) / this.speed);
  }
}
