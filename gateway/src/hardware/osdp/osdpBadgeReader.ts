import { type Logger, silentLogger } from "../../core/logger.js";
import { ListenerSet } from "../listenerSet.js";
import type { BadgePresentation, BadgeReader, ReaderStatus, Unsubscribe } from "../ports.js";
import {
  type SerialPortFactory,
  type SerialPortLike,
  serialportFactory,
} from "../serialRelay/serialPortTypes.js";
import {
  OsdpControlPanel,
  type OsdpReaderEvent,
  type OsdpReaderState,
} from "./osdpControlPanel.js";
import { SerialPortStreams } from "./serialPortStreams.js";

export interface OsdpBadgeReaderOptions {
  /** This gateway reader's id (one OSDP reader on the bus). */
  readonly id: string;
  /** The RS-485 adapter's tty, e.g. /dev/ttyAMA0. */
  readonly path: string;
  readonly baudRate?: number;
  /** The reader's OSDP address on the bus. */
  readonly address: number;
  readonly masterKey: Buffer;
  readonly installMode?: boolean;
  readonly pollIntervalMs?: number;
  readonly replyTimeoutMs?: number;
  readonly logger?: Logger;
  readonly clock?: () => number;
  /** Test seam: serialport by default. */
  readonly portFactory?: () => Promise<SerialPortFactory>;
}

/** Keypad entries waiting for a card, for card + PIN doors: kept this long. */
const keypadHoldMs = 15_000;

/**
 * One OSDP reader as a gateway BadgeReader: card reads become presentations (a bare UID: OSDP
 * hands over what the reader read), keypad digits are attached to the next card read within
 * 15 s as `pin`, tamper and loss of the secure channel become status errors, and `signal`
 * lights the reader's LED green or red.
 */
export class OsdpBadgeReader implements BadgeReader {
  readonly id: string;
  readonly #options: OsdpBadgeReaderOptions;
  readonly #log: Logger;
  readonly #badges = new ListenerSet<[BadgePresentation]>();
  readonly #statuses = new ListenerSet<[ReaderStatus]>();
  #port: SerialPortLike | undefined;
  #panel: OsdpControlPanel | undefined;
  #state: OsdpReaderState = "offline";
  #tamper = false;
  #reason: string | undefined;
  #pin: { keys: string; at: number } | undefined;
  #current: ReaderStatus;

  constructor(options: OsdpBadgeReaderOptions) {
    this.id = options.id;
    this.#options = options;
    this.#log = (options.logger ?? silentLogger).child({ module: "gateway:hardware:osdp" });
    this.#current = { readerId: this.id, state: "disconnected" };
  }

  async start(): Promise<void> {
    if (this.#port) return;
    const factory = await (this.#options.portFactory ?? serialportFactory)();
    const port = factory(this.#options.path, this.#options.baudRate ?? 115_200);
    await new Promise<void>((resolve, reject) =>
      port.open((error) => (error ? reject(error) : resolve())),
    );
    port.on("error", (error) => this.#log.warn({ err: error.message }, "osdp port error"));
    this.#port = port;
    const streams = new SerialPortStreams(port);
    const panel = new OsdpControlPanel({
      input: streams.input,
      output: streams.output,
      readers: [{ id: this.id, address: this.#options.address }],
      masterKey: this.#options.masterKey,
      installMode: this.#options.installMode ?? false,
      ...(this.#options.pollIntervalMs ? { pollIntervalMs: this.#options.pollIntervalMs } : {}),
      ...(this.#options.replyTimeoutMs ? { replyTimeoutMs: this.#options.replyTimeoutMs } : {}),
      ...(this.#options.logger ? { logger: this.#options.logger } : {}),
    });
    panel.onEvent((event) => this.#onEvent(event));
    this.#panel = panel;
    panel.start();
  }

  async stop(): Promise<void> {
    await this.#panel?.stop();
    this.#panel = undefined;
    const port = this.#port;
    this.#port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.#state = "offline";
    this.#refresh();
  }

  status(): ReaderStatus {
    return { ...this.#current };
  }

  onBadge(listener: (presentation: BadgePresentation) => void): Unsubscribe {
    return this.#badges.add(listener);
  }

  onStatus(listener: (status: ReaderStatus) => void): Unsubscribe {
    return this.#statuses.add(listener);
  }

  /** The door's answer on the reader: green on grant, red and two beeps on deny. */
  signal(outcome: "grant" | "deny"): void {
    this.#panel?.signal(this.id, outcome);
  }

  #now(): number {
    return (this.#options.clock ?? Date.now)();
  }

  #onEvent(event: OsdpReaderEvent): void {
    if (event.kind === "state") {
      this.#state = event.state;
      this.#reason = event.reason;
      this.#refresh();
    } else if (event.kind === "tamper") {
      this.#tamper = event.tamper;
      this.#refresh();
    } else if (event.kind === "keypad") {
      this.#pin = { keys: event.keys, at: this.#now() };
    } else if (event.kind === "card") {
      const at = this.#now();
      const pin = this.#pin && at - this.#pin.at <= keypadHoldMs ? this.#pin.keys : undefined;
      this.#pin = undefined;
      this.#badges.emit({ readerId: this.id, uid: event.uid, at, ...(pin ? { pin } : {}) });
    }
  }

  #refresh(): void {
    const next: ReaderStatus = this.#tamper
      ? { readerId: this.id, state: "error", error: "reader tamper switch open" }
      : this.#state === "secure"
        ? { readerId: this.id, state: "connected" }
        : this.#state === "offline"
          ? { readerId: this.id, state: "disconnected" }
          : {
              readerId: this.id,
              state: "error",
              error: `secure channel lost (${this.#reason ?? "handshake"})`,
            };
    if (next.state === this.#current.state && next.error === this.#current.error) return;
    this.#current = next;
    this.#statuses.emit({ ...next });
  }
}
