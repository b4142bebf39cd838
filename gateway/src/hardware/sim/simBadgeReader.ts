import { type Logger, silentLogger } from "../../core/logger.js";
import { ListenerSet } from "../listenerSet.js";
import type {
  BadgePresentation,
  BadgeReader,
  ReaderState,
  ReaderStatus,
  Unsubscribe,
} from "../ports.js";
import type { DeviceEvent, SimDeviceLink } from "./simDeviceLink.js";

export interface SimAdapterOptions {
  logger?: Logger;
  clock?: () => number;
}

/** A BadgeReader fed by one of firmware-sim's simulated readers, in process or over a socket. */
export class SimBadgeReader implements BadgeReader {
  private readonly badges: ListenerSet<[BadgePresentation]>;
  private readonly statuses: ListenerSet<[ReaderStatus]>;
  private readonly log: Logger;
  private readonly clock: () => number;
  private running = false;
  private linkUp = false;
  private linkFault: string | undefined;
  private deviceState: ReaderState = "disconnected";
  private deviceError: string | undefined;
  private current: ReaderStatus;

  constructor(
    readonly id: string,
    private readonly link: SimDeviceLink,
    options: SimAdapterOptions = {},
  ) {
    this.log = (options.logger ?? silentLogger).child({ module: "gateway:hardware:sim", id });
    this.clock = options.clock ?? Date.now;
    const onListenerError = (error: unknown) =>
      this.log.error({ err: String(error) }, "reader listener failed");
    this.badges = new ListenerSet(onListenerError);
    this.statuses = new ListenerSet(onListenerError);
    this.current = { readerId: id, state: "disconnected" };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.link.open({
      onEvent: (event) => this.onEvent(event),
      onLink: (up, reason) => {
        this.linkUp = up;
        this.linkFault = up ? undefined : reason;
        this.refresh();
      },
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.link.close();
    this.linkUp = false;
    this.linkFault = undefined;
    this.refresh();
  }

  status(): ReaderStatus {
    return { ...this.current };
  }

  onBadge(listener: (presentation: BadgePresentation) => void): Unsubscribe {
    return this.badges.add(listener);
  }

  onStatus(listener: (status: ReaderStatus) => void): Unsubscribe {
    return this.statuses.add(listener);
  }

  private onEvent(event: DeviceEvent): void {
    if (!this.running) return;
    if (event.event === "reader-status") {
      this.deviceState = event.state;
      this.deviceError = event.error;
      this.refresh();
    } else if (event.event === "badge") {
      this.badges.emit({
        readerId: this.id,
        uid: Uint8Array.from(Buffer.from(event.uid, "hex")),
        at: this.clock(),
      });
    }
  }

  private refresh(): void {
    let next: ReaderStatus;
    if (!this.running) next = { readerId: this.id, state: "disconnected" };
    else if (!this.linkUp) {
      next = this.linkFault
        ? { readerId: this.id, state: "error", error: this.linkFault }
        : { readerId: this.id, state: "disconnected" };
    } else if (this.deviceState === "error") {
      next = { readerId: this.id, state: "error", error: this.deviceError ?? "reader fault" };
    } else next = { readerId: this.id, state: this.deviceState };
    if (next.state === this.current.state && next.error === this.current.error) return;
    this.current = next;
    this.statuses.emit({ ...next });
  }
}
