import type { Readable, Writable } from "node:stream";
import {
  decodeKeypad,
  decodeLocalStatus,
  decodeOsdpPacket,
  decodePdId,
  decodeRawCard,
  encodeBuzzerCommand,
  encodeKeySet,
  encodeLedCommand,
  encodeOsdpPacket,
  OsdpColor,
  OsdpCommand,
  type OsdpDecoded,
  OsdpFrameParser,
  OsdpKeyFlag,
  OsdpReply,
  OsdpSecureChannel,
  osdpDefaultInstallKey,
  osdpReaderKey,
  osdpReplyFlag,
  SecurityBlockType,
} from "@passerelle/protocol";
import { type Logger, silentLogger } from "../../core/logger.js";
import { ListenerSet } from "../listenerSet.js";
import type { Unsubscribe } from "../ports.js";

/**
 * The gateway as OSDP v2 control panel (CP) on one RS-485 bus: it polls each configured reader
 * (PD) in turn, one command in flight, always inside the secure channel. Per reader: handshake
 * (its own key, diversified from the installation master key and the reader's cUID; the install
 * key SCBK-D only in install mode, immediately replaced with KEYSET), then ID, then POLL, with
 * LED/buzzer commands queued between polls. A reply that fails its MAC, comes in clear once the
 * channel is up, answers from another address or with another sequence number is refused and
 * the reader goes back to the handshake; card and keypad data are only ever taken from a
 * verified secure reply. Three missed replies in a row make a reader offline.
 */

export interface OsdpReaderConfig {
  readonly id: string;
  /** RS-485 address 0–126. */
  readonly address: number;
}

export interface OsdpControlPanelOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly readers: readonly OsdpReaderConfig[];
  /** Master of the per-reader secure channel keys (SCBK = AES(master, cUID ‖ ¬cUID)). */
  readonly masterKey: Buffer;
  /** Accepts readers still on the install key SCBK-D and gives them their own key. */
  readonly installMode?: boolean;
  readonly replyTimeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly logger?: Logger;
}

export type OsdpReaderState = "offline" | "handshake" | "secure";

export type OsdpReaderEvent =
  | { readonly kind: "card"; readonly readerId: string; readonly uid: Buffer }
  | { readonly kind: "keypad"; readonly readerId: string; readonly keys: string }
  | { readonly kind: "tamper"; readonly readerId: string; readonly tamper: boolean }
  | {
      readonly kind: "state";
      readonly readerId: string;
      readonly state: OsdpReaderState;
      /** Why the reader left the secure state (never key or card bytes). */
      readonly reason?: string;
    };

type ReplyFailure =
  | "timeout"
  | "bad-frame"
  | "wrong-address"
  | "wrong-sequence"
  | "not-secure"
  | "mac-mismatch"
  | "bad-encryption"
  | "closed"
  | "nak";

interface ReaderSession {
  readonly config: OsdpReaderConfig;
  readonly channel: OsdpSecureChannel;
  state: OsdpReaderState;
  sequence: number;
  missed: number;
  readonly outbox: { code: number; data: Buffer }[];
}

const maxMissed = 3;

export class OsdpControlPanel {
  readonly #options: OsdpControlPanelOptions;
  readonly #log: Logger;
  readonly #parser = new OsdpFrameParser();
  readonly #sessions: ReaderSession[];
  readonly #events = new ListenerSet<[OsdpReaderEvent]>();
  #waiting: ((frame: Buffer) => void) | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** Frames dropped by the parser since start, per reason (line quality). */
  readonly dropped = new Map<string, number>();

  constructor(options: OsdpControlPanelOptions) {
    this.#options = options;
    this.#log = (options.logger ?? silentLogger).child({ module: "gateway:hardware:osdp" });
    this.#sessions = options.readers.map((config) => ({
      config,
      channel: new OsdpSecureChannel("cp"),
      state: "offline",
      sequence: 0,
      missed: 0,
      outbox: [],
    }));
    this.#parser.on("data", (frame: Buffer) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.(frame);
    });
    this.#parser.on("drop", (reason: string) => {
      this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
    });
  }

  onEvent(listener: (event: OsdpReaderEvent) => void): Unsubscribe {
    return this.#events.add(listener);
  }

  state(readerId: string): OsdpReaderState | undefined {
    return this.#sessions.find((s) => s.config.id === readerId)?.state;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#options.input.pipe(this.#parser);
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    this.#waiting?.(Buffer.alloc(0));
    await this.#loop;
    this.#options.input.unpipe(this.#parser);
  }

  /** Green on grant, red on deny, for `durationMs`, then back to off; a beep on deny. */
  signal(readerId: string, outcome: "grant" | "deny", durationMs = 3000): void {
    const session = this.#sessions.find((s) => s.config.id === readerId);
    if (!session) return;
    const color = outcome === "grant" ? OsdpColor.green : OsdpColor.red;
    session.outbox.push({
      code: OsdpCommand.led,
      data: encodeLedCommand({
        reader: 0,
        led: 0,
        color,
        durationMs,
        restingColor: OsdpColor.black,
      }),
    });
    if (outcome === "deny") {
      session.outbox.push({
        code: OsdpCommand.buzzer,
        data: encodeBuzzerCommand({ reader: 0, onMs: 200, offMs: 100, count: 2 }),
      });
    }
    this.#wake?.();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      for (const session of this.#sessions) {
        if (!this.#running) break;
        await this.#step(session);
      }
      const interval = this.#options.pollIntervalMs ?? 50;
      const busy = this.#sessions.some((s) => s.outbox.length > 0 && s.state === "secure");
      if (!busy) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, interval);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
      }
    }
  }

  #setState(session: ReaderSession, state: OsdpReaderState, reason?: string): void {
    if (session.state === state) return;
    session.state = state;
    if (state !== "secure") session.channel.close();
    this.#log.info({ reader: session.config.id, state, reason }, "osdp reader state");
    this.#events.emit({
      kind: "state",
      readerId: session.config.id,
      state,
      ...(reason ? { reason } : {}),
    });
  }

  #fail(session: ReaderSession, failure: ReplyFailure): void {
    if (failure === "timeout" || failure === "bad-frame") {
      session.missed += 1;
      if (session.missed >= maxMissed) this.#setState(session, "offline", "no reply");
      else if (session.state === "secure") return; // a lost reply: poll again
    }
    // Anything else breaks the chain of MACs: start the secure channel again.
    this.#parser.reset();
    if (session.state === "secure") this.#setState(session, "handshake", failure);
    session.channel.close();
    session.sequence = 0;
  }

  #nextSequence(session: ReaderSession): number {
    const sequence = session.sequence;
    session.sequence = sequence === 0 || sequence === 3 ? 1 : sequence + 1;
    return sequence;
  }

  async #exchange(
    session: ReaderSession,
    build: (sequence: number) => Buffer,
  ): Promise<Extract<OsdpDecoded, { ok: true }> | ReplyFailure> {
    const sequence = this.#nextSequence(session);
    const frame = await new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        resolve(undefined);
      }, this.#options.replyTimeoutMs ?? 200);
      this.#waiting = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      this.#options.output.write(build(sequence));
    });
    if (!frame || frame.length === 0) return "timeout";
    const decoded = decodeOsdpPacket(frame);
    if (!decoded.ok) return "bad-frame";
    if (decoded.packet.address !== (session.config.address | osdpReplyFlag)) return "wrong-address";
    if (decoded.packet.sequence !== sequence) return "wrong-sequence";
    session.missed = 0;
    return decoded;
  }

  async #step(session: ReaderSession): Promise<void> {
    if (session.state !== "secure") {
      await this.#handshake(session);
      return;
    }
    const next = session.outbox.shift() ?? { code: OsdpCommand.poll, data: Buffer.alloc(0) };
    const reply = await this.#secureExchange(session, next.code, next.data);
    if (reply) this.#onReply(session, reply.code, reply.data);
  }

  async #secureExchange(session: ReaderSession, code: number, data: Buffer) {
    const header = { address: session.config.address, useCrc: true };
    const reply = await this.#exchange(session, (sequence) =>
      session.channel.seal({ ...header, sequence }, code, data),
    );
    if (typeof reply === "string") {
      this.#fail(session, reply);
      return undefined;
    }
    // A reply in clear after the channel is up: a reader swapped or downgraded. Refused.
    const opened = session.channel.open(reply);
    if (!opened.ok) {
      this.#log.warn({ reader: session.config.id, failure: opened.failure }, "osdp reply refused");
      this.#fail(session, opened.failure);
      return undefined;
    }
    return opened;
  }

  #onReply(session: ReaderSession, code: number, data: Buffer): void {
    const readerId = session.config.id;
    if (code === OsdpReply.rawCard) {
      const card = decodeRawCard(data);
      if (card) this.#events.emit({ kind: "card", readerId, uid: Buffer.from(card.data) });
    } else if (code === OsdpReply.keypad) {
      const entry = decodeKeypad(data);
      if (entry) this.#events.emit({ kind: "keypad", readerId, keys: entry.keys });
    } else if (code === OsdpReply.localStatus) {
      const status = decodeLocalStatus(data);
      if (status) this.#events.emit({ kind: "tamper", readerId, tamper: status.tamper });
    }
  }

  async #handshake(session: ReaderSession): Promise<void> {
    if (session.state === "offline" && session.missed < maxMissed)
      this.#setState(session, "handshake");
    session.sequence = 0;
    const address = session.config.address;
    const challenge = session.channel.challenge();
    const ccrypt = await this.#exchange(session, (sequence) =>
      encodeOsdpPacket({
        address,
        sequence,
        useCrc: true,
        securityBlock: {
          type: SecurityBlockType.challenge,
          data: Buffer.from([OsdpKeyFlag.readerKey]),
        },
        code: OsdpCommand.challenge,
        data: challenge,
      }),
    );
    if (typeof ccrypt === "string") return this.#fail(session, ccrypt);
    if (ccrypt.packet.code !== OsdpReply.clientCryptogram || ccrypt.packet.data.length !== 32) {
      return this.#fail(session, "not-secure");
    }
    const onInstallKey = ccrypt.packet.securityBlock?.data[0] === OsdpKeyFlag.installKey;
    if (onInstallKey && !this.#options.installMode) {
      this.#log.warn(
        { reader: session.config.id },
        "reader still on the install key; install mode is off",
      );
      return this.#fail(session, "not-secure");
    }
    const readerKey = osdpReaderKey(this.#options.masterKey, ccrypt.packet.data.subarray(0, 8));
    const scbk = onInstallKey ? osdpDefaultInstallKey : readerKey;
    const scrypt = session.channel.acceptClientCryptogram(ccrypt.packet.data, scbk);
    if (!scrypt) return this.#fail(session, "mac-mismatch");
    const rmac = await this.#exchange(session, (sequence) =>
      encodeOsdpPacket({
        address,
        sequence,
        useCrc: true,
        securityBlock: {
          type: SecurityBlockType.serverCryptogram,
          data: Buffer.from([onInstallKey ? OsdpKeyFlag.installKey : OsdpKeyFlag.readerKey]),
        },
        code: OsdpCommand.serverCryptogram,
        data: scrypt,
      }),
    );
    if (typeof rmac === "string") return this.#fail(session, rmac);
    if (!session.channel.acceptInitialRmac(rmac.packet.data))
      return this.#fail(session, "mac-mismatch");
    if (onInstallKey) {
      // Move the reader to its own key at once, then start again on it.
      const ack = await this.#secureExchange(session, OsdpCommand.keySet, encodeKeySet(readerKey));
      this.#log.info(
        { reader: session.config.id, ok: ack?.code === OsdpReply.ack },
        "osdp key set",
      );
      session.channel.close();
      return;
    }
    this.#setState(session, "secure");
    const id = await this.#secureExchange(session, OsdpCommand.id, Buffer.from([0]));
    if (id?.code === OsdpReply.pdId) {
      const identity = decodePdId(id.data);
      this.#log.info(
        { reader: session.config.id, firmware: identity?.firmware },
        "osdp reader identified",
      );
    }
  }
}
