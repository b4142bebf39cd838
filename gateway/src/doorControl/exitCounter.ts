import { defaultExitKind, type ExitKind, type GatewayEvent } from "@passerelle/protocol";
import { type Logger, silentLogger } from "../core/logger.js";
import type { PartEvent } from "../core/partTypes.js";
import { type DoorScheduler, timerScheduler } from "./doorScheduler.js";
import { type ExitCycleDetector as Detector, ExitCycleDetector } from "./exitCycleDetector.js";

export interface ExitCounterOptions {
  centre: string;
  /** The gateway's doors and whether each has a door contact wired. */
  doors: readonly { id: string; hasContact: boolean }[];
  /** A door's `exitKind` in the bundle in force; undefined before a bundle or when absent. */
  exitKindOf(doorId: string): ExitKind | undefined;
  /** Reports one anonymous exit (`door.exit`); the app stamps id, time and seq. */
  record(event: PartEvent): void;
  scheduler?: DoorScheduler;
  debounceMs?: number;
  openWithinMs?: number;
  grantWindowMs?: number;
  logger?: Logger;
}

/**
 * Anonymous exits at the gateway's doors, per door kind (bundle `doors[].exitKind`, absent =
 * exit-button): one ExitCycleDetector per door, fed from the gateway's own event stream (the
 * door state machine's `exit.requested`, `door.opened`, `door.closed`, and grants: `access`
 * granted in, `remote.unlock`), each completed cycle recorded as a `door.exit`. Reading the
 * recorded events rather than the inputs keeps the door path untouched: the counter only
 * listens. Every rule it applies (no opening after a press, no contact, a grant in the cycle,
 * chatter) is one log line.
 */
export class ExitCounter {
  private readonly detectors = new Map<string, Detector>();
  private readonly log: Logger;

  constructor(private readonly options: ExitCounterOptions) {
    this.log = (options.logger ?? silentLogger).child({ module: "gateway:exits" });
    for (const door of options.doors) {
      const log = this.log.child({ door: door.id });
      const exitKind = () => options.exitKindOf(door.id) ?? defaultExitKind;
      this.detectors.set(
        door.id,
        new ExitCycleDetector({
          exitKind,
          hasContact: door.hasContact,
          scheduler: options.scheduler ?? timerScheduler,
          ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
          ...(options.openWithinMs === undefined ? {} : { openWithinMs: options.openWithinMs }),
          ...(options.grantWindowMs === undefined ? {} : { grantWindowMs: options.grantWindowMs }),
          onExit: (exit) => {
            log.debug({ kind: exit.kind }, "exit counted");
            options.record({
              type: "door.exit",
              door: door.id,
              direction: "out",
              time: new Date(exit.at).toISOString(),
              detail: exit.kind,
            });
          },
          onNote: (note) => {
            const { kind, ...rest } = note;
            log.info({ rule: kind, ...rest }, noteMessages[kind]);
          },
        }),
      );
      if (!door.hasContact && exitKind() !== "exit-reader") {
        log.warn("door without a contact: its exits cannot be counted");
      }
    }
  }

  /** Feeds one recorded event; never throws into the caller. */
  record(event: GatewayEvent): void {
    if (event.centre !== this.options.centre || event.door === undefined) return;
    const detector = this.detectors.get(event.door);
    if (detector === undefined) return;
    try {
      switch (event.type) {
        case "exit.requested":
          detector.buttonPressed();
          return;
        case "door.opened":
        case "door.closed":
          detector.contact(event.type === "door.opened", event.detail === "first reading");
          return;
        case "remote.unlock":
          detector.granted();
          return;
        case "access":
          if (event.decision === "granted" && event.direction !== "out") detector.granted();
          return;
      }
    } catch (error) {
      this.log.error({ err: (error as Error).message, type: event.type }, "exit counting failed");
    }
  }

  stop(): void {
    for (const detector of this.detectors.values()) detector.stop();
  }
}

const noteMessages = {
  "button-without-opening": "exit button pressed but the door never opened: no exit counted",
  "no-contact": "exit button pressed at a door without a contact: no exit counted",
  "cycle-with-grant": "door cycle with an entry grant: counted as the entry, not as an exit",
  "contact-chatter": "door contact chattered: one door cycle",
} as const;
