import { type Logger, silentLogger } from "../../core/logger.js";
import { ListenerSet } from "../listenerSet.js";
import type { DoorInput, Unsubscribe } from "../ports.js";
import type { SimAdapterOptions } from "./simBadgeReader.js";
import type { DeviceEvent, SimDeviceLink } from "./simDeviceLink.js";

/** A DoorInput (contact or exit button) fed by one of firmware-sim's simulated inputs. */
export class SimDoorInput implements DoorInput {
  private readonly changes: ListenerSet<[boolean, number]>;
  private readonly log: Logger;
  private readonly clock: () => number;
  private running = false;
  private level: boolean | null = null;
  /** The last level known, kept across link losses so a change made meanwhile is reported. */
  private lastKnown: boolean | null = null;

  constructor(
    readonly id: string,
    private readonly link: SimDeviceLink,
    options: SimAdapterOptions = {},
  ) {
    this.log = (options.logger ?? silentLogger).child({ module: "gateway:hardware:sim", id });
    this.clock = options.clock ?? Date.now;
    this.changes = new ListenerSet((error) =>
      this.log.error({ err: String(error) }, "input listener failed"),
    );
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.link.open({
      onEvent: (event) => this.onEvent(event),
      onLink: (up) => {
        // While the link is down the level is unknown, not "closed".
        if (!up) this.level = null;
      },
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.link.close();
    this.level = null;
  }

  read(): boolean | null {
    return this.level;
  }

  onChange(listener: (active: boolean, at: number) => void): Unsubscribe {
    return this.changes.add(listener);
  }

  private onEvent(event: DeviceEvent): void {
    if (!this.running || event.event !== "input") return;
    this.level = event.active;
    const previous = this.lastKnown;
    this.lastKnown = event.active;
    if (previous !== null && previous !== event.active)
      this.changes.emit(event.active, this.clock());
  }
}
