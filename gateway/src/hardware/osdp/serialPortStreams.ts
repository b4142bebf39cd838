import { PassThrough, Writable } from "node:stream";
import type { SerialPortLike } from "../serialRelay/serialPortTypes.js";

/** A serialport seen as the readable and writable streams the OSDP control panel takes. */
export class SerialPortStreams {
  readonly input = new PassThrough();
  readonly output: Writable;

  constructor(port: SerialPortLike) {
    port.on("data", (chunk) => this.input.write(chunk));
    this.output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        // A write on a closed port fails: the panel sees no reply and counts the reader silent.
        port.write(chunk, () => done());
      },
    });
  }
}
