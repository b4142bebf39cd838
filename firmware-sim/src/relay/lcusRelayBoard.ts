import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import { LcusFrameParser, type LcusParseResult } from "./lcusFrameParser.js";

export interface RelayChange {
  channel: number;
  on: boolean;
  at: number;
}

interface LcusRelayBoardEvents {
  /** A valid frame switched (or re-asserted) a channel. */
  command: [change: RelayChange];
  /** A frame the board ignored. */
  rejected: [rejection: Extract<LcusParseResult, { kind: "rejected" }>];
}

export interface LcusRelayBoardOptions {
  /** LCUS boards come with 1, 2, 4 or 8 channels. */
  channels?: number;
  clock?: () => number;
}

/**
 * A simulated LCUS USB relay board: feed it the bytes the host writes to the serial port, read
 * its relay states and the history of commands. Attach it to a stream (one end of a socat pty
 * pair, opened by the test) or call `receive` directly.
 */
export class LcusRelayBoard extends EventEmitter<LcusRelayBoardEvents> {
  readonly channels: number;
  private readonly parser: LcusFrameParser;
  private readonly states: boolean[];
  private readonly clock: () => number;
  readonly history: RelayChange[] = [];
  rejectedFrames = 0;

  constructor(options: LcusRelayBoardOptions = {}) {
    super();
    this.channels = options.channels ?? 4;
    if (![1, 2, 4, 8].includes(this.channels)) {
      throw new RangeError(`LCUS boards have 1, 2, 4 or 8 channels, not ${this.channels}`);
    }
    this.parser = new LcusFrameParser(this.channels);
    this.states = new Array<boolean>(this.channels).fill(false);
    this.clock = options.clock ?? Date.now;
  }

  /** Whether the relay of `channel` (1-based) is closed (energised). */
  isOn(channel: number): boolean {
    return this.states[channel - 1] ?? false;
  }

  /** Bytes as they arrive from the serial line. */
  receive(bytes: Uint8Array): void {
    for (const result of this.parser.push(bytes)) {
      if (result.kind === "rejected") {
        this.rejectedFrames += 1;
        this.emit("rejected", result);
        continue;
      }
      this.states[result.channel - 1] = result.on;
      const change = { channel: result.channel, on: result.on, at: this.clock() };
      this.history.push(change);
      this.emit("command", change);
    }
  }

  /** Reads frames from a serial stream until it ends; returns a function that detaches. */
  attach(stream: Duplex): () => void {
    const onData = (chunk: Buffer) => this.receive(chunk);
    stream.on("data", onData);
    return () => stream.off("data", onData);
  }

  /** Cuts the power: every relay opens, as on a real board unplugged from USB. */
  powerCycle(): void {
    this.states.fill(false);
  }
}
