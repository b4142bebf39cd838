import { EventEmitter } from "node:events";
import { connect, type Socket } from "node:net";
import {
  answerApdu,
  type CardBehaviour,
  storageCardAtr,
  VALID_UID_LENGTHS,
} from "./storageCardApdu.js";
import {
  encodeVpcdMessage,
  VPCD_DEFAULT_PORT,
  VpcdControl,
  type VpcdMessage,
  VpcdMessageDecoder,
} from "./vpcdProtocol.js";

export interface VpcdCardOptions {
  /** The card's ISO 14443-A UID: 4, 7 or 10 bytes. */
  uid: Uint8Array;
  /** Where vpcd (the vsmartcard driver loaded by pcscd) listens; 127.0.0.1:35963 by default. */
  host?: string;
  port?: number;
  /** Defaults to the PC/SC part 3 ATR of a MIFARE Classic 1K. */
  atr?: Uint8Array;
  behaviour?: CardBehaviour;
  /** Answers every APDU instead of the storage card (a simulated NTAG 424 DNA, for one). */
  applet?: { answer(apdu: Uint8Array): Uint8Array; reset?(): void };
}

interface VpcdCardEvents {
  /** vpcd powered the card on, off or reset it. */
  control: [code: number];
  /** The card answered a command APDU (the reader read it). */
  apdu: [command: Uint8Array, response: Uint8Array];
  /** The connection closed: removed by us, or pcscd went away. */
  removed: [];
}

/**
 * A virtual contactless card behind a real PC/SC stack. Presenting the card opens a TCP
 * connection to vpcd, which makes pcscd report a card in the "Virtual PCD" reader; removing it
 * closes the connection. Applications (the gateway's pcsc adapter) see an ordinary card.
 */
export class VpcdCard extends EventEmitter<VpcdCardEvents> {
  readonly uid: Uint8Array;
  private readonly atr: Uint8Array;
  private readonly host: string;
  private readonly port: number;
  private socket: Socket | undefined;

  constructor(private readonly options: VpcdCardOptions) {
    super();
    if (!VALID_UID_LENGTHS.includes(options.uid.length)) {
      throw new RangeError(`an ISO 14443-A UID has 4, 7 or 10 bytes, not ${options.uid.length}`);
    }
    this.uid = Uint8Array.from(options.uid);
    this.atr = options.atr ?? storageCardAtr();
    this.host = options.host ?? "127.0.0.1";
    this.port = options.port ?? VPCD_DEFAULT_PORT;
  }

  isPresent(): boolean {
    return this.socket !== undefined;
  }

  /** Puts the card on the reader: resolves once vpcd accepted the connection. */
  present(): Promise<void> {
    if (this.socket !== undefined) return Promise.reject(new Error("card already presented"));
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port });
      this.socket = socket;
      const decoder = new VpcdMessageDecoder();
      socket.setNoDelay(true);
      socket.once("connect", () => {
        socket.off("error", onConnectError);
        socket.on("error", () => socket.destroy());
        resolve();
      });
      const onConnectError = (error: Error) => {
        this.socket = undefined;
        reject(
          new Error(
            `no vpcd on ${this.host}:${this.port} (${error.message}): ` +
              "is pcscd running with the vsmartcard-vpcd driver?",
          ),
        );
      };
      socket.once("error", onConnectError);
      socket.on("data", (chunk: Buffer) => {
        for (const message of decoder.push(chunk)) this.answer(socket, message);
      });
      socket.once("close", () => {
        if (this.socket === socket) this.socket = undefined;
        this.emit("removed");
      });
    });
  }

  /** Takes the card off the reader: resolves once the connection is closed. */
  remove(): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return Promise.resolve();
    this.socket = undefined;
    return new Promise((resolve) => {
      socket.once("close", () => resolve());
      socket.destroy();
    });
  }

  private answer(socket: Socket, message: VpcdMessage): void {
    if (message.kind === "control") {
      this.emit("control", message.code);
      if (message.code !== VpcdControl.getAtr) this.options.applet?.reset?.();
      // Power on/off and reset need no answer; GET ATR does.
      if (message.code === VpcdControl.getAtr) socket.write(encodeVpcdMessage(this.atr));
      return;
    }
    const applet = this.options.applet;
    const response = applet
      ? applet.answer(message.apdu)
      : answerApdu(message.apdu, this.uid, this.options.behaviour);
    socket.write(encodeVpcdMessage(response));
    this.emit("apdu", message.apdu, response);
  }
}
