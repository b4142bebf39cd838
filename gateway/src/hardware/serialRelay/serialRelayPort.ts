import { type Logger, silentLogger } from "../../core/logger.js";
import { ReconnectBackoff } from "../../core/reconnectBackoff.js";
import { HardwareError } from "../ports.js";
import { encodeLcusFrame, LCUS_BAUD_RATE } from "./lcusFrame.js";
import {
  type SerialPortFactory,
  type SerialPortLike,
  serialportFactory,
} from "./serialPortTypes.js";

export interface SerialRelayPortOptions {
  /** /dev/ttyUSB0, or better a stable /dev/serial/by-id/usb-1a86_USB_Serial-if00-port0. */
  path: string;
  baudRate?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  logger?: Logger;
  /** Test seam: serialport by default. */
  portFactory?: () => Promise<SerialPortFactory>;
}

/**
 * One LCUS relay board on one serial port, shared by the locks on its channels. Opens when the
 * first lock starts, closes when the last stops. When the board disappears (USB unplugged) it
 * reopens with backoff and re-sends the wanted state of every channel: a board that lost power
 * comes back with all relays off, which must not silently differ from what the door wants.
 */
export class SerialRelayPort {
  readonly path: string;
  private readonly log: Logger;
  private readonly backoff: ReconnectBackoff;
  /** The latest state asked for each channel, sent or not: what a reopened board gets. */
  private readonly wanted = new Map<number, boolean>();
  private factory: SerialPortFactory | undefined;
  private port: SerialPortLike | undefined;
  private users = 0;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SerialRelayPortOptions) {
    this.path = options.path;
    this.log = (options.logger ?? silentLogger).child({
      module: "gateway:hardware:serial-relay",
      path: options.path,
    });
    this.backoff = new ReconnectBackoff(
      options.reconnectMinMs ?? 500,
      options.reconnectMaxMs ?? 10_000,
    );
  }

  isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  /** Registers a user; the first one opens the port (one attempt awaited, then background retries). */
  async acquire(): Promise<void> {
    this.users += 1;
    if (this.users > 1) return;
    this.factory ??= await (this.options.portFactory ?? serialportFactory)();
    await this.open();
  }

  async release(): Promise<void> {
    if (this.users === 0) return;
    this.users -= 1;
    if (this.users > 0) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /**
   * Writes the frame for one channel synchronously (the bytes are queued before this returns);
   * the promise settles when the OS took them. Rejects at once when the board is not there.
   */
  command(channel: number, on: boolean): Promise<void> {
    const frame = encodeLcusFrame(channel, on);
    this.wanted.set(channel, on);
    const port = this.port;
    if (port === undefined || !port.isOpen) {
      return Promise.reject(
        new HardwareError("device-unavailable", `relay board at ${this.path} is not connected`),
      );
    }
    return new Promise((resolve, reject) => {
      port.write(frame, (error) => {
        if (error)
          reject(new HardwareError("io-failed", `relay board at ${this.path}: ${error.message}`));
        else resolve();
      });
    });
  }

  private async open(): Promise<void> {
    if (this.users === 0 || this.factory === undefined) return;
    const port = this.factory(this.path, this.options.baudRate ?? LCUS_BAUD_RATE);
    port.on("error", (error) => this.log.warn({ err: error.message }, "serial port error"));
    // LCUS boards send nothing useful, but reading is how serialport notices an unplugged
    // adapter (the read fails with EIO and the port closes as disconnected): keep it flowing.
    port.on("data", () => {});
    const error = await new Promise<Error | null>((resolve) => port.open(resolve));
    if (this.users === 0) {
      if (!error) port.close();
      return;
    }
    if (error) {
      this.log.warn({ err: error.message }, "relay board not available; retrying");
      this.scheduleReopen();
      return;
    }
    this.port = port;
    this.backoff.reset();
    port.on("close", () => {
      if (this.port !== port) return;
      this.port = undefined;
      this.log.warn("relay board disconnected; reopening");
      this.scheduleReopen();
    });
    this.log.info("relay board connected");
    for (const [channel, on] of this.wanted) {
      this.command(channel, on).catch((e: Error) =>
        this.log.warn({ err: e.message }, "resend failed"),
      );
    }
  }

  private scheduleReopen(): void {
    if (this.users === 0 || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.open();
    }, this.backoff.next());
  }
}
