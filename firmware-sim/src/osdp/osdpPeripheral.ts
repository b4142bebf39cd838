import { EventEmitter } from "node:events";
import type { Readable, Writable } from "node:stream";
import {
  decodeKeySet,
  decodeLedCommand,
  decodeOsdpPacket,
  encodeKeypad,
  encodeLocalStatus,
  encodeOsdpPacket,
  encodePdCapabilities,
  encodePdId,
  encodeRawCard,
  type LedCommand,
  OsdpCapability,
  OsdpCommand,
  OsdpFrameParser,
  OsdpKeyFlag,
  OsdpNakCode,
  type OsdpPacket,
  OsdpReply,
  OsdpSecureChannel,
  osdpCrc16,
  osdpDefaultInstallKey,
  osdpReplyFlag,
  SecurityBlockType,
} from "@passerelle/protocol";

/**
 * A simulated OSDP v2 peripheral device (PD): a wall reader with a keypad, as a real one on
 * RS-485 answers a control panel. It speaks over any byte stream (a pty from socat in the e2e
 * tests and the demo, an in-memory pair in unit tests). Supports POLL, ID, CAP, LSTAT, LED,
 * BUZ, KEYSET and the secure channel; queues card reads, keypad entries and tamper changes
 * until the next POLL, as OSDP PDs do. Misbehaviours for tests: a tampered MAC, dropping out
 * of secure mode, answering as another address.
 */

export interface OsdpPeripheralOptions {
  readonly address: number;
  /** The PD's client UID (cUID) sent in CCRYPT. */
  readonly clientUid?: Buffer;
  /** Its secure channel base key; until KEYSET it only has the install key SCBK-D. */
  readonly scbk?: Buffer;
  readonly input: Readable;
  readonly output: Writable;
}

interface PeripheralEvents {
  led: [LedCommand];
  buzzer: [];
  keySet: [Buffer];
  secure: [boolean];
  /** A command was refused (reason), e.g. a MAC failure. */
  refused: [string];
}

export interface OsdpMisbehaviour {
  /** Flip a bit of the next secure reply's MAC. */
  tamperNextMac?: boolean;
  /** Answer every command in clear, as a reader swapped for an insecure one would. */
  dropSecureMode?: boolean;
  /** Answer as this address instead of its own. */
  answerAs?: number;
  /** Answer with another sequence number than the command's (a reply to some other command). */
  wrongSequence?: boolean;
}

type Pending = { code: number; data: Buffer };

export class OsdpPeripheral extends EventEmitter<PeripheralEvents> {
  readonly address: number;
  readonly clientUid: Buffer;
  #scbk: Buffer | undefined;
  readonly #channel = new OsdpSecureChannel("pd");
  readonly #parser = new OsdpFrameParser();
  readonly #output: Writable;
  readonly #queue: Pending[] = [];
  #lastSequence = -1;
  #lastReply: Buffer | undefined;
  #tamper = false;
  #handshakeKey: Buffer = osdpDefaultInstallKey;
  misbehaviour: OsdpMisbehaviour = {};
  led: LedCommand | undefined;

  constructor(options: OsdpPeripheralOptions) {
    super();
    this.address = options.address;
    this.clientUid = options.clientUid ?? Buffer.from("5053494D00000000", "hex");
    this.#scbk = options.scbk;
    this.#output = options.output;
    options.input.pipe(this.#parser);
    this.#parser.on("data", (frame: Buffer) => this.#onFrame(frame));
  }

  get secure(): boolean {
    return this.#channel.established;
  }

  get readerKey(): Buffer | undefined {
    return this.#scbk;
  }

  /** A card read: its UID bytes as raw card data, sent on the next POLL. */
  presentCard(uid: Uint8Array): void {
    const data = Buffer.from(uid);
    this.#queue.push({
      code: OsdpReply.rawCard,
      data: encodeRawCard({ reader: 0, format: 0, bitCount: data.length * 8, data }),
    });
  }

  /** Keys typed on the keypad, e.g. "1234#". */
  typeKeys(keys: string): void {
    this.#queue.push({ code: OsdpReply.keypad, data: encodeKeypad({ reader: 0, keys }) });
  }

  setTamper(tamper: boolean): void {
    this.#tamper = tamper;
    this.#queue.push({
      code: OsdpReply.localStatus,
      data: encodeLocalStatus({ tamper, powerFailure: false }),
    });
  }

  close(): void {
    this.#parser.removeAllListeners();
  }

  #onFrame(frame: Buffer): void {
    const decoded = decodeOsdpPacket(frame);
    if (!decoded.ok) return;
    const { packet } = decoded;
    if (packet.address !== this.address && packet.address !== 0x7f) return;
    // The same sequence number again: the CP lost our reply; send it again unchanged.
    if (packet.sequence !== 0 && packet.sequence === this.#lastSequence && this.#lastReply) {
      this.#output.write(this.#lastReply);
      return;
    }
    this.#lastSequence = packet.sequence;
    const header = {
      address: (this.misbehaviour.answerAs ?? this.address) | osdpReplyFlag,
      // OSDP 5.7: sequence numbers run 1, 2, 3, 1…; the next one is never the command's.
      sequence: this.misbehaviour.wrongSequence ? (packet.sequence % 3) + 1 : packet.sequence,
      useCrc: true,
    };
    const reply = this.#answer(packet, decoded, header);
    if (reply) {
      this.#lastReply = reply;
      this.#output.write(reply);
    }
  }

  #plain(header: Pick<OsdpPacket, "address" | "sequence" | "useCrc">, code: number, data: Buffer) {
    return encodeOsdpPacket({ ...header, code, data });
  }

  #answer(
    packet: OsdpPacket,
    decoded: Extract<ReturnType<typeof decodeOsdpPacket>, { ok: true }>,
    header: Pick<OsdpPacket, "address" | "sequence" | "useCrc">,
  ): Buffer | undefined {
    const block = packet.securityBlock?.type;
    if (block === SecurityBlockType.challenge && packet.code === OsdpCommand.challenge) {
      const wantsReaderKey = packet.securityBlock?.data[0] === OsdpKeyFlag.readerKey;
      this.#handshakeKey = wantsReaderKey && this.#scbk ? this.#scbk : osdpDefaultInstallKey;
      const payload = this.#channel.answerChallenge(
        packet.data,
        this.#handshakeKey,
        this.clientUid,
      );
      if (!payload) return this.#plain(header, OsdpReply.nak, Buffer.from([OsdpNakCode.badLength]));
      const flag = this.#handshakeKey === osdpDefaultInstallKey ? 0 : 1;
      return encodeOsdpPacket({
        ...header,
        securityBlock: { type: SecurityBlockType.clientCryptogram, data: Buffer.from([flag]) },
        code: OsdpReply.clientCryptogram,
        data: payload,
      });
    }
    if (block === SecurityBlockType.serverCryptogram) {
      const rmac = this.#channel.answerServerCryptogram(packet.data);
      this.emit("secure", rmac !== null);
      return encodeOsdpPacket({
        ...header,
        securityBlock: {
          type: SecurityBlockType.initialRmac,
          data: Buffer.from([rmac ? 0x01 : 0xff]),
        },
        code: OsdpReply.initialRmac,
        data: rmac ?? Buffer.alloc(16),
      });
    }
    let code = packet.code;
    let data = packet.data;
    const secureCommand = block !== undefined;
    if (secureCommand) {
      const opened = this.#channel.open(decoded);
      if (!opened.ok) {
        this.emit("refused", opened.failure);
        this.emit("secure", false);
        return this.#plain(
          header,
          OsdpReply.nak,
          Buffer.from([OsdpNakCode.unsupportedSecurityBlock]),
        );
      }
      code = opened.code;
      data = opened.data;
    }
    const [replyCode, replyData] = this.#handle(code, data, secureCommand);
    if (!secureCommand || this.misbehaviour.dropSecureMode)
      return this.#plain(header, replyCode, replyData);
    const sealed = this.#channel.seal(header, replyCode, replyData);
    if (this.misbehaviour.tamperNextMac) {
      this.misbehaviour.tamperNextMac = false;
      const macByte = sealed.length - 3;
      sealed[macByte] = (sealed[macByte] as number) ^ 0x01;
      // Keep the CRC right so that only the MAC is wrong.
      sealed.writeUInt16LE(osdpCrc16(sealed.subarray(0, sealed.length - 2)), sealed.length - 2);
    }
    return sealed;
  }

  #handle(code: number, data: Buffer, secure: boolean): [number, Buffer] {
    const ack: [number, Buffer] = [OsdpReply.ack, Buffer.alloc(0)];
    switch (code) {
      case OsdpCommand.poll: {
        const next = this.#queue.shift();
        return next ? [next.code, next.data] : ack;
      }
      case OsdpCommand.id:
        return [
          OsdpReply.pdId,
          encodePdId({
            vendorCode: Buffer.from("505353", "hex"),
            model: 1,
            version: 1,
            serialNumber: this.clientUid.readUInt32LE(4),
            firmware: "1.0.0",
          }),
        ];
      case OsdpCommand.cap:
        return [
          OsdpReply.pdCapabilities,
          encodePdCapabilities([
            { functionCode: OsdpCapability.cardDataFormat, compliance: 1, count: 0 },
            { functionCode: OsdpCapability.readerLedControl, compliance: 1, count: 1 },
            { functionCode: OsdpCapability.readerAudibleOutput, compliance: 1, count: 1 },
            { functionCode: OsdpCapability.checkCharacter, compliance: 1, count: 0 },
            { functionCode: OsdpCapability.communicationSecurity, compliance: 1, count: 1 },
          ]),
        ];
      case OsdpCommand.localStatus:
        return [
          OsdpReply.localStatus,
          encodeLocalStatus({ tamper: this.#tamper, powerFailure: false }),
        ];
      case OsdpCommand.led: {
        const led = decodeLedCommand(data);
        if (!led) return [OsdpReply.nak, Buffer.from([OsdpNakCode.badLength])];
        this.led = led;
        this.emit("led", led);
        return ack;
      }
      case OsdpCommand.buzzer:
        this.emit("buzzer");
        return ack;
      case OsdpCommand.keySet: {
        const key = decodeKeySet(data);
        // A key only ever travels inside the secure channel.
        if (!secure) return [OsdpReply.nak, Buffer.from([OsdpNakCode.encryptionRequired])];
        if (!key) return [OsdpReply.nak, Buffer.from([OsdpNakCode.badLength])];
        this.#scbk = key;
        this.emit("keySet", key);
        return ack;
      }
      default:
        return [OsdpReply.nak, Buffer.from([OsdpNakCode.unknownCommand])];
    }
  }
}
