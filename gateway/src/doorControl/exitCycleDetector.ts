import type { ExitKind } from "@passerelle/protocol";
import type { DoorScheduler } from "./doorScheduler.js";

/**
 * Input an exit cycle met that a rule handles (each one logged by the caller):
 * - `button-without-opening`: the exit button was pressed but the door never opened within
 *   `openWithinMs` (a change of mind, or a contact that does not report): no exit counted;
 * - `no-contact`: the exit button was pressed at an exit-button door with no door contact
 *   wired: a press alone proves nobody left, so no exit is counted;
 * - `cycle-with-grant`: the door cycle had an entry grant (or a remote unlock) in it: someone
 *   came in, whoever else went out; not counted as an exit (the grant counted the entry);
 * - `contact-chatter`: the contact reopened within `debounceMs` of closing, `transitions` times:
 *   one cycle, counted at most once.
 */
export type ExitCycleNote =
  | { kind: "button-without-opening"; at: number }
  | { kind: "no-contact"; at: number }
  | { kind: "cycle-with-grant"; at: number }
  | { kind: "contact-chatter"; at: number; transitions: number };

export interface ExitCycleOptions {
  /** The door's exit kind in the bundle in force (read at each input; default exit-button). */
  exitKind(): ExitKind;
  /** Whether a door contact is wired at this door. */
  hasContact: boolean;
  scheduler: DoorScheduler;
  /** One anonymous exit, at the time it was confirmed (the door stayed closed `debounceMs`). */
  onExit(exit: { at: number; kind: ExitKind }): void;
  onNote(note: ExitCycleNote): void;
  /** A close followed by a reopening within this is contact chatter; 100 ms. */
  debounceMs?: number;
  /** After an exit-button press, how long the door may take to open; 10 000 ms. */
  openWithinMs?: number;
  /** A grant this long before an opening is what opened it (the unlock pulse); 5 000 ms. */
  grantWindowMs?: number;
}

interface Cycle {
  kind: ExitKind;
  hadGrant: boolean;
  /** Close → reopen within the debounce time. */
  chatter: number;
  /** Set once the door closed: the cycle completes unless it reopens within `debounceMs`. */
  closedAt: number | null;
}

/**
 * One door's exit cycles, pure over an injected scheduler, fed with the door's inputs (exit
 * button, contact, grants):
 * - exit-button: button pressed, door opened (within `openWithinMs`), door closed, no grant in
 *   the cycle → one exit;
 * - free-egress: door opened, door closed, no grant in the cycle → one exit (a button, if any,
 *   changes nothing);
 * - exit-reader: nothing here (an exit badge is the exit).
 * A cycle completes when the door has stayed closed for `debounceMs`; reopening sooner is chatter
 * of the same cycle. An opening with neither a pending press (exit-button) nor a cycle is an
 * entry or a forced door (the door state machine raises that alarm), never an exit.
 */
export class ExitCycleDetector {
  private readonly debounceMs: number;
  private readonly openWithinMs: number;
  private readonly grantWindowMs: number;
  private contactOpen: boolean | null = null;
  /** A grant whose opening has not happened yet (an opening takes it, cycle or not). */
  private pendingGrantAt: number | null = null;
  private pressedAt: number | null = null;
  private cancelPress: (() => void) | undefined;
  private cycle: Cycle | null = null;
  private cancelClose: (() => void) | undefined;

  constructor(private readonly options: ExitCycleOptions) {
    this.debounceMs = options.debounceMs ?? 100;
    this.openWithinMs = options.openWithinMs ?? 10_000;
    this.grantWindowMs = options.grantWindowMs ?? 5_000;
  }

  /** An entry grant or a remote unlock at this door. */
  granted(): void {
    if (this.cycle !== null && this.cycle.closedAt === null) this.cycle.hadGrant = true;
    else this.pendingGrantAt = this.now();
  }

  buttonPressed(): void {
    if (this.options.exitKind() !== "exit-button" || this.cycle !== null) return;
    if (!this.options.hasContact) {
      this.options.onNote({ kind: "no-contact", at: this.now() });
      return;
    }
    this.pressedAt ??= this.now();
    this.cancelPress?.();
    this.cancelPress = this.options.scheduler.after(this.openWithinMs, () => {
      this.cancelPress = undefined;
      this.pressedAt = null;
      this.options.onNote({ kind: "button-without-opening", at: this.now() });
    });
  }

  /** The contact's level; `firstReading` only sets it (the door was found that way). */
  contact(open: boolean, firstReading = false): void {
    if (open === this.contactOpen) return;
    this.contactOpen = open;
    if (firstReading) return;
    if (open) this.opened();
    else this.closed();
  }

  /** Cancels timers (the door stopped); a cycle in progress is not counted. */
  stop(): void {
    this.cancelPress?.();
    this.cancelClose?.();
    this.cancelPress = this.cancelClose = undefined;
    this.pressedAt = null;
    this.pendingGrantAt = null;
    this.cycle = null;
    this.contactOpen = null;
  }

  private opened(): void {
    const cycle = this.cycle;
    if (cycle !== null && cycle.closedAt !== null) {
      // Reopened before the close was confirmed: chatter, the same cycle goes on.
      this.cancelClose?.();
      this.cancelClose = undefined;
      cycle.closedAt = null;
      cycle.chatter++;
      return;
    }
    // A grant up to one unlock pulse before this opening is what opened it; the next opening
    // is someone else's (a busy door: an entry, then an exit right behind it).
    const grantPending =
      this.pendingGrantAt !== null && this.now() - this.pendingGrantAt <= this.grantWindowMs;
    this.pendingGrantAt = null;
    const kind = this.options.exitKind();
    if (kind === "exit-reader") return;
    if (kind === "exit-button") {
      if (this.pressedAt === null) return;
      this.cancelPress?.();
      this.cancelPress = undefined;
    }
    this.pressedAt = null;
    this.cycle = {
      kind,
      hadGrant: grantPending,
      chatter: 0,
      closedAt: null,
    };
  }

  private closed(): void {
    const cycle = this.cycle;
    if (cycle === null) return;
    cycle.closedAt = this.now();
    this.cancelClose = this.options.scheduler.after(this.debounceMs, () => {
      this.cancelClose = undefined;
      this.cycle = null;
      this.complete(cycle);
    });
  }

  private complete(cycle: Cycle): void {
    const at = this.now();
    if (cycle.chatter > 0) {
      this.options.onNote({ kind: "contact-chatter", at, transitions: cycle.chatter });
    }
    if (cycle.hadGrant) {
      this.options.onNote({ kind: "cycle-with-grant", at });
      return;
    }
    this.options.onExit({ at, kind: cycle.kind });
  }

  private now(): number {
    return this.options.scheduler.now();
  }
}
