import { EventEmitter } from "node:events";
import type {
  NfcPcscCard,
  NfcPcscContext,
  NfcPcscModule,
  NfcPcscReader,
} from "../../../src/hardware/pcsc/nfcPcscTypes.js";

const STORAGE_CARD_ATR = Buffer.from("3b8f8001804f0ca000000306030001000000006a", "hex");

/**
 * Plays nfc-pcsc 0.8 with autoProcessing off: on a card it calls connect(), then emits `card`;
 * transmit answers with whatever the test put on the reader.
 */
export class FakeReader extends EventEmitter implements NfcPcscReader {
  autoProcessing = true;
  closed = false;
  transmits = 0;
  private answer: (() => Buffer) | undefined;
  connectFailure: Error | undefined;

  constructor(readonly name: string) {
    super();
  }

  async connect(): Promise<unknown> {
    if (this.connectFailure) throw this.connectFailure;
    return {};
  }

  async transmit(_data: Buffer, _max: number): Promise<Buffer> {
    this.transmits += 1;
    if (this.answer === undefined) throw new Error("no card");
    return this.answer();
  }

  close(): void {
    this.closed = true;
  }

  /** A card arrives: answer GET DATA with `uid` + 90 00, or with `response` as given. */
  async insert(card: { uid?: Uint8Array; response?: Buffer; fail?: Error }): Promise<void> {
    this.answer = () => {
      if (card.fail) throw card.fail;
      return card.response ?? Buffer.concat([Buffer.from(card.uid ?? []), Buffer.from([0x90, 0])]);
    };
    try {
      await this.connect();
    } catch {
      return; // nfc-pcsc swallows it too (the adapter wraps connect to see it)
    }
    const info: NfcPcscCard = { atr: STORAGE_CARD_ATR, standard: "TAG_ISO_14443_3" };
    this.emit("card", info);
  }

  /** pcscd reports the same card again without a removal in between. */
  repeatCardEvent(): void {
    this.emit("card", { atr: STORAGE_CARD_ATR });
  }

  removeCard(): void {
    this.answer = undefined;
    this.emit("card.off", {});
  }

  unplug(): void {
    this.emit("end");
  }
}

export class FakeContext extends EventEmitter implements NfcPcscContext {
  closed = false;
  readonly readers: FakeReader[] = [];

  close(): void {
    this.closed = true;
  }

  plug(name: string): FakeReader {
    const reader = new FakeReader(name);
    this.readers.push(reader);
    this.emit("reader", reader);
    return reader;
  }

  /** What @pokusew/pcsclite emits when pcscd dies. */
  die(message = "SCardGetStatusChange error: RPC transport error.(0x80100013)"): void {
    this.emit("error", new Error(message));
  }
}

/**
 * A stand-in nfc-pcsc module that records every context it made. With `autoPlug`, each new
 * context finds a reader of that name right away, as pcsclite reports the attached readers.
 */
export function fakeNfcPcsc(autoPlug?: string): { module: NfcPcscModule; contexts: FakeContext[] } {
  const contexts: FakeContext[] = [];
  class NFC extends FakeContext {
    constructor() {
      super();
      contexts.push(this);
      if (autoPlug !== undefined) process.nextTick(() => this.plug(autoPlug));
    }
  }
  return { module: { NFC }, contexts };
}
