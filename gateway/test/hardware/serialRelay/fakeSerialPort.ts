import { EventEmitter } from "node:events";
import type {
  SerialPortFactory,
  SerialPortLike,
} from "../../../src/hardware/serialRelay/serialPortTypes.js";

/** A serial port in memory: the test decides whether the device is plugged in. */
export class FakeSerialPort extends EventEmitter implements SerialPortLike {
  isOpen = false;
  readonly written: Uint8Array[] = [];
  failWrites = false;

  constructor(
    readonly path: string,
    readonly baudRate: number,
    private readonly device: { plugged: boolean },
  ) {
    super();
  }

  open(callback: (error: Error | null) => void): void {
    queueMicrotask(() => {
      if (!this.device.plugged)
        return callback(new Error(`Error: No such file or directory, cannot open ${this.path}`));
      this.isOpen = true;
      callback(null);
    });
  }

  write(data: Uint8Array, callback: (error: Error | null | undefined) => void): boolean {
    this.written.push(Uint8Array.from(data));
    queueMicrotask(() => callback(this.failWrites ? new Error("EIO") : null));
    return true;
  }

  close(callback?: (error: Error | null) => void): void {
    this.isOpen = false;
    queueMicrotask(() => {
      this.emit("close");
      callback?.(null);
    });
  }

  /** The USB cable is pulled: serialport emits close with `disconnected`. */
  unplug(): void {
    this.device.plugged = false;
    this.isOpen = false;
    this.emit("close", Object.assign(new Error("disconnected"), { disconnected: true }));
  }
}

export function fakeSerial() {
  const device = { plugged: true };
  const ports: FakeSerialPort[] = [];
  const factory: SerialPortFactory = (path, baudRate) => {
    const port = new FakeSerialPort(path, baudRate, device);
    ports.push(port);
    return port;
  };
  return {
    device,
    ports,
    factory,
    /** Every frame written on every port opened so far, as hex. */
    frames: () =>
      ports.flatMap((port) => port.written.map((bytes) => Buffer.from(bytes).toString("hex"))),
  };
}
