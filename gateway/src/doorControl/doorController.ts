import type { OnlineStatus } from "@passerelle/protocol";
import { type Logger, silentLogger } from "../core/logger.js";
import type { DoorUnit, PartEvent } from "../core/partTypes.js";
import type { DoorInput, LockOutput, Unsubscribe } from "../hardware/ports.js";
import type { DoorScheduler } from "./doorScheduler.js";
import { type DoorMachineEvent, DoorStateMachine, type LockMode } from "./doorStateMachine.js";

export interface DoorControllerOptions {
  id: string;
  lock: LockOutput;
  contact?: DoorInput;
  exitButton?: DoorInput;
  lockMode?: LockMode;
  unlockMs?: number;
  heldOpenMs?: number;
  legitimateOpeningMs?: number;
  maxRemoteUnlockMs?: number;
  /** DoorMachineOptions.freeEgress: the door opens from inside without a request. */
  freeEgress?: () => boolean;
  scheduler?: DoorScheduler;
  /** Each transition as a gateway event (the app stamps id, centre and seq). */
  record(event: PartEvent): void;
  logger?: Logger;
  /**
   * True (default): start() starts the adapters and stop() stops them, after the lock mode is
   * applied. False when another owner (the gateway's `Hardware`) starts and stops them; stop()
   * must then still be called before that owner stops the hardware.
   */
  ownsHardware?: boolean;
}

export type DoorStatus = OnlineStatus["doors"][number];

/**
 * The thin shell around one DoorStateMachine: contact and exit-button inputs in, relay commands
 * and events out. The adapters never move the lock on stop, so stop() applies the lock mode
 * (fail-secure locks, fail-safe releases) while the lock output is still running.
 */
export class DoorController implements DoorUnit {
  readonly id: string;
  private readonly machine: DoorStateMachine;
  private readonly log: Logger;
  private readonly unsubscribes: Unsubscribe[] = [];

  constructor(private readonly options: DoorControllerOptions) {
    this.id = options.id;
    this.log = (options.logger ?? silentLogger).child({ module: "gateway:door", door: options.id });
    this.machine = new DoorStateMachine({
      lockMode: options.lockMode,
      unlockMs: options.unlockMs,
      heldOpenMs: options.heldOpenMs,
      legitimateOpeningMs: options.legitimateOpeningMs,
      maxRemoteUnlockMs: options.maxRemoteUnlockMs,
      ...(options.freeEgress ? { freeEgress: options.freeEgress } : {}),
      scheduler: options.scheduler,
      setLock: (unlocked) => this.setLock(unlocked),
      emit: (event) => this.report(event),
      onCallbackError: (error) =>
        this.log.error({ err: String(error) }, "door callback failed; door state kept"),
    });
  }

  async start(): Promise<void> {
    if (this.unsubscribes.length > 0 || this.machine.state().running) return;
    const { lock, contact, exitButton } = this.options;
    if (this.options.ownsHardware !== false) {
      await lock.start();
      await contact?.start();
      await exitButton?.start();
    }
    if (contact) {
      this.unsubscribes.push(contact.onChange((open) => this.machine.contact(open)));
    }
    if (exitButton) {
      // A press is the request; the release means nothing.
      this.unsubscribes.push(
        exitButton.onChange((pressed) => {
          if (pressed) this.machine.exitRequest();
        }),
      );
    }
    this.machine.start();
    const level = contact?.read() ?? null;
    if (level !== null) this.machine.contact(level);
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.machine.stop();
    if (this.options.ownsHardware === false) return;
    const { lock, contact, exitButton } = this.options;
    // The lock mode's command was issued synchronously above; the lock output stops last.
    for (const part of [exitButton, contact, lock]) {
      await part
        ?.stop()
        .catch((error: Error) =>
          this.log.warn({ err: error.message, part: part.id }, "adapter did not stop cleanly"),
        );
    }
  }

  /** Access granted: commands the relay before returning. Never throws. */
  grant(): void {
    if (!this.machine.grant()) this.log.warn("grant while the door is stopped: lock not moved");
  }

  remoteUnlock(durationMs: number): void {
    if (!this.machine.remoteUnlock(durationMs)) {
      this.log.warn({ durationMs }, "remote unlock refused (door stopped or bad duration)");
    }
  }

  setHeldOpenMs(ms: number | undefined): void {
    this.machine.setHeldOpenMs(ms);
  }

  status(): DoorStatus {
    const { lock, contact, alarm } = this.machine.state();
    return { id: this.id, lock, contact, alarm };
  }

  private setLock(unlocked: boolean): void {
    // LockOutput.set issues the command synchronously; its promise only reports the outcome.
    this.options.lock.set(unlocked).catch((error: Error) => {
      this.log.error({ err: error.message, unlocked }, "lock command failed");
    });
  }

  private report(event: DoorMachineEvent): void {
    const level = event.type === "door.forced-open" || event.type === "door.held-open";
    this.log[level ? "warn" : "debug"]({ type: event.type, detail: event.detail }, "door event");
    this.options.record({
      type: event.type,
      door: this.id,
      time: new Date(event.at).toISOString(),
      ...(event.detail === undefined ? {} : { detail: event.detail }),
    });
  }
}
