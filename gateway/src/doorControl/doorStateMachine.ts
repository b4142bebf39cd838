import type { EventType } from "@passerelle/protocol";
import { type DoorScheduler, timerScheduler } from "./doorScheduler.js";

/** The protocol event types a door reports, one per transition. */
export const doorEventTypes = [
  "door.unlocked",
  "door.locked",
  "door.opened",
  "door.closed",
  "door.held-open",
  "door.forced-open",
  "door.alarm-cleared",
  "exit.requested",
  "remote.unlock",
] as const satisfies readonly EventType[];

export type DoorEventType = (typeof doorEventTypes)[number];

export interface DoorMachineEvent {
  type: DoorEventType;
  /** ms since the epoch, from the scheduler's clock. */
  at: number;
  /** Why: "grant", "exit-request", "remote", "pulse-ended", "door-closed", "start", … */
  detail?: string;
}

/**
 * fail-secure: the lock holds without power (offices); fail-safe: it releases without power
 * (fire exits). Either way a running gateway keeps the door locked between pulses.
 */
export type LockMode = "fail-secure" | "fail-safe";
export type LockState = "locked" | "unlocked";
export type ContactState = "open" | "closed" | "unknown";
export type DoorAlarm = "held-open" | "forced-open" | null;

export interface DoorMachineOptions {
  /** Commands the relay (`true` releases the lock). Called synchronously; must not block. */
  setLock(unlocked: boolean): void;
  emit(event: DoorMachineEvent): void;
  /** A callback threw: reported here, never into the caller (the badge path). */
  onCallbackError?(error: unknown): void;
  scheduler?: DoorScheduler;
  /** Unlock pulse after a grant or an exit request; 5 000 ms by default. */
  unlockMs?: number;
  /** Held-open alarm after a legitimate opening that lasts longer than this; 30 000 ms. */
  heldOpenMs?: number;
  /**
   * An opening while locked is legitimate this long after a grant, an exit request or a remote
   * unlock (a request-to-exit shunts the forced-door alarm); 2 000 ms by default.
   */
  legitimateOpeningMs?: number;
  /**
   * The door opens from inside by a lever handle (bundle `exitKind` "free-egress"): an opening
   * while locked is someone leaving, not a forced door. With a contact only, a forced entry cannot
   * be told from an exit there (docs/gateway-door-outbox.md, "What counts as an exit"), so such a
   * door raises held-open but never forced-open. Read at each opening: the bundle may change it.
   */
  freeEgress?: () => boolean;
  /** Longest remote unlock accepted; longer requests are cut to it. 1 h by default. */
  maxRemoteUnlockMs?: number;
  lockMode?: LockMode;
}

export interface DoorMachineState {
  running: boolean;
  lock: LockState;
  contact: ContactState;
  alarm: DoorAlarm;
}

/**
 * One door's lock and alarms, as a pure machine over an injected clock
 * (docs/gateway-door-outbox.md, "Door").
 *
 * - A grant, an exit request or a remote unlock releases the lock for a pulse, then relocks;
 *   a new request during a pulse extends it. The relay is commanded synchronously inside the
 *   call: nothing between the badge and the relay waits on a timer, the disk or the network.
 * - The door closing during a pulse relocks at once (it opened, someone went through).
 * - A legitimate opening (while unlocked, or shortly after a request) that lasts longer than
 *   `heldOpenMs` raises held-open; an opening while locked without a recent request raises
 *   forced-open. Closing the door clears either alarm.
 * - `start()` locks (the lock is powered in both modes); `stop()` leaves it in the lock mode's
 *   unpowered state: locked for fail-secure, unlocked for fail-safe.
 * - While stopped the machine ignores every input: it fails closed.
 *
 * Every transition is an event; re-commanding a state already held (pulse extension) is not.
 */
export class DoorStateMachine {
  private readonly scheduler: DoorScheduler;
  private readonly unlockMs: number;
  private readonly defaultHeldOpenMs: number;
  private heldOpenMs: number;
  private readonly legitimateOpeningMs: number;
  private readonly maxRemoteUnlockMs: number;
  readonly lockMode: LockMode;

  private running = false;
  private lock: LockState;
  private contactState: ContactState = "unknown";
  private alarm: DoorAlarm = null;
  private pulseEndsAt: number | null = null;
  private cancelPulse: (() => void) | undefined;
  private cancelHeldOpen: (() => void) | undefined;
  private lastRequestAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: DoorMachineOptions) {
    this.scheduler = options.scheduler ?? timerScheduler;
    this.unlockMs = positive(options.unlockMs ?? 5000, "unlockMs");
    this.defaultHeldOpenMs = positive(options.heldOpenMs ?? 30_000, "heldOpenMs");
    this.heldOpenMs = this.defaultHeldOpenMs;
    this.legitimateOpeningMs = positive(options.legitimateOpeningMs ?? 2000, "legitimateOpeningMs");
    this.maxRemoteUnlockMs = positive(options.maxRemoteUnlockMs ?? 3_600_000, "maxRemoteUnlockMs");
    this.lockMode = options.lockMode ?? "fail-secure";
    // Before start the lock is unpowered, so it is wherever its mode leaves it.
    this.lock = this.lockMode === "fail-safe" ? "unlocked" : "locked";
  }

  /**
   * The door's held-open time as the centre's bundle sets it; undefined or not a positive
   * number: the configured default. Applies from the next opening.
   */
  setHeldOpenMs(ms: number | undefined): void {
    this.heldOpenMs =
      ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : this.defaultHeldOpenMs;
  }

  state(): DoorMachineState {
    return {
      running: this.running,
      lock: this.lock,
      contact: this.contactState,
      alarm: this.alarm,
    };
  }

  /** Powers the lock: locked, whatever the mode. Always reported, as the door's first state. */
  start(): void {
    if (this.running) return;
    this.running = true;
    // The contact is read afresh after every start (the controller feeds its current level).
    this.contactState = "unknown";
    this.command(false);
    this.emit("door.locked", "start");
  }

  /** Cancels pulses and timers and leaves the lock in the mode's unpowered state. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.clearPulse();
    this.cancelHeldOpen?.();
    this.cancelHeldOpen = undefined;
    const unlocked = this.lockMode === "fail-safe";
    this.command(unlocked);
    this.emit(unlocked ? "door.unlocked" : "door.locked", `stop (${this.lockMode})`);
  }

  /** Access granted: the relay is commanded before this returns. False when stopped. */
  grant(): boolean {
    if (!this.running) return false;
    this.lastRequestAt = this.scheduler.now();
    this.unlockFor(this.unlockMs, "grant");
    return true;
  }

  /** The exit button: unlocks for egress and makes the next opening legitimate. */
  exitRequest(): boolean {
    if (!this.running) return false;
    this.lastRequestAt = this.scheduler.now();
    this.emit("exit.requested");
    this.unlockFor(this.unlockMs, "exit-request");
    return true;
  }

  /**
   * A signed remote unlock (checked upstream) for `durationMs`, cut to `maxRemoteUnlockMs`.
   * False when stopped or when the duration is not a positive number of ms.
   */
  remoteUnlock(durationMs: number): boolean {
    if (!this.running || !Number.isFinite(durationMs) || durationMs <= 0) return false;
    const ms = Math.min(durationMs, this.maxRemoteUnlockMs);
    this.lastRequestAt = this.scheduler.now();
    this.emit("remote.unlock", `${ms} ms`);
    this.unlockFor(ms, "remote");
    return true;
  }

  /** The door contact's logical level (true = open). The first reading only sets the state. */
  contact(open: boolean): void {
    if (!this.running) return;
    const next: ContactState = open ? "open" : "closed";
    const previous = this.contactState;
    if (next === previous) return;
    this.contactState = next;
    if (open) this.onOpened(previous === "unknown");
    else this.onClosed(previous);
  }

  private onOpened(firstReading: boolean): void {
    const now = this.scheduler.now();
    this.emit("door.opened", firstReading ? "first reading" : undefined);
    // A door found open at start was not seen being forced: watch it as held open instead.
    const legitimate =
      firstReading ||
      this.options.freeEgress?.() === true ||
      this.lock === "unlocked" ||
      now - this.lastRequestAt <= this.legitimateOpeningMs;
    if (!legitimate) {
      this.alarm = "forced-open";
      this.emit("door.forced-open");
      return;
    }
    this.cancelHeldOpen?.();
    this.cancelHeldOpen = this.scheduler.after(this.heldOpenMs, () => {
      this.cancelHeldOpen = undefined;
      if (!this.running || this.contactState !== "open" || this.alarm !== null) return;
      this.alarm = "held-open";
      this.emit("door.held-open", `${this.heldOpenMs} ms`);
    });
  }

  private onClosed(previous: ContactState): void {
    // Relock first: the relay matters more than the report.
    const relock = previous === "open" && this.pulseEndsAt !== null;
    if (relock) this.endPulse();
    this.emit("door.closed", previous === "unknown" ? "first reading" : undefined);
    this.cancelHeldOpen?.();
    this.cancelHeldOpen = undefined;
    if (this.alarm !== null) {
      const cleared = this.alarm;
      this.alarm = null;
      this.emit("door.alarm-cleared", cleared);
    }
    if (relock) this.emit("door.locked", "door-closed");
  }

  private unlockFor(ms: number, why: string): void {
    const endsAt = this.scheduler.now() + ms;
    const wasLocked = this.lock === "locked";
    // Command the relay again even when already unlocked: cheap, and heals a missed command.
    this.command(true);
    if (this.pulseEndsAt !== null && this.pulseEndsAt >= endsAt) return;
    this.cancelPulse?.();
    this.pulseEndsAt = endsAt;
    this.cancelPulse = this.scheduler.after(ms, () => {
      this.cancelPulse = undefined;
      this.endPulse();
      this.emit("door.locked", "pulse-ended");
    });
    this.lock = "unlocked";
    if (wasLocked) this.emit("door.unlocked", why);
  }

  /** Relocks and forgets the pulse (no event: the caller says why). */
  private endPulse(): void {
    if (this.pulseEndsAt === null) return;
    this.clearPulse();
    this.command(false);
  }

  private clearPulse(): void {
    this.cancelPulse?.();
    this.cancelPulse = undefined;
    this.pulseEndsAt = null;
  }

  private command(unlocked: boolean): void {
    this.lock = unlocked ? "unlocked" : "locked";
    try {
      this.options.setLock(unlocked);
    } catch (error) {
      this.options.onCallbackError?.(error);
    }
  }

  private emit(type: DoorEventType, detail?: string): void {
    const event: DoorMachineEvent = { type, at: this.scheduler.now() };
    if (detail !== undefined) event.detail = detail;
    try {
      this.options.emit(event);
    } catch (error) {
      this.options.onCallbackError?.(error);
    }
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be > 0 ms`);
  return value;
}
