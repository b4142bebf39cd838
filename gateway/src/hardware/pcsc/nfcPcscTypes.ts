/**
 * The part of nfc-pcsc 0.8 (which ships no types) that the pcsc adapter uses, written down as
 * structural types so that a fake can stand in for it in unit tests.
 */

export interface NfcPcscCard {
  atr?: Buffer;
  standard?: string;
}

export interface NfcPcscReader {
  readonly name: string;
  /** With autoProcessing off the reader emits `card` with the ATR and lets us read the UID. */
  autoProcessing: boolean;
  connect(mode?: string): Promise<unknown>;
  transmit(data: Buffer, responseMaxLength: number): Promise<Buffer>;
  close(): void;
  on(event: "card" | "card.off", listener: (card: NfcPcscCard) => void): this;
  on(event: "error", listener: (error: Error) => void): this;
  on(event: "end", listener: () => void): this;
  removeAllListeners(): this;
}

export interface NfcPcscContext {
  on(event: "reader", listener: (reader: NfcPcscReader) => void): this;
  on(event: "error", listener: (error: Error) => void): this;
  close(): void;
  removeAllListeners(): this;
}

export interface NfcPcscModule {
  NFC: new () => NfcPcscContext;
}
