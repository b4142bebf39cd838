/**
 * The OSDP commands and replies Passerelle uses, with their payload layouts (SIA OSDP 2.2,
 * sections 6 and 7). Multi-byte numbers are little-endian as everywhere in OSDP.
 */

export const OsdpCommand = {
  poll: 0x60,
  id: 0x61,
  cap: 0x62,
  localStatus: 0x64,
  led: 0x69,
  buzzer: 0x6a,
  keySet: 0x75,
  challenge: 0x76,
  serverCryptogram: 0x77,
} as const;

export const OsdpReply = {
  ack: 0x40,
  nak: 0x41,
  pdId: 0x45,
  pdCapabilities: 0x46,
  localStatus: 0x48,
  rawCard: 0x50,
  keypad: 0x53,
  clientCryptogram: 0x76,
  initialRmac: 0x78,
  busy: 0x79,
} as const;

/** NAK error codes. */
export const OsdpNakCode = {
  badCheck: 0x01,
  badLength: 0x02,
  unknownCommand: 0x03,
  badSequence: 0x04,
  unsupportedSecurityBlock: 0x05,
  encryptionRequired: 0x06,
} as const;

/** LED colours of the LED command. */
export const OsdpColor = { black: 0, red: 1, green: 2, amber: 3, blue: 4 } as const;

export interface LedCommand {
  readonly reader: number;
  readonly led: number;
  /** A temporary colour for `durationMs` (then back to the permanent one); steady on. */
  readonly color: number;
  readonly durationMs: number;
  /** The permanent colour to return to. */
  readonly restingColor: number;
}

/** One 14-byte LED record: temporary steady colour with a timer, then the permanent state. */
export function encodeLedCommand(command: LedCommand): Buffer {
  const bytes = Buffer.alloc(14);
  bytes[0] = command.reader;
  bytes[1] = command.led;
  bytes[2] = 0x02; // temporary: set and start the timer
  bytes[3] = 1; // on time, 100 ms units: steady on
  bytes[4] = 0; // off time
  bytes[5] = command.color;
  bytes[6] = command.color;
  bytes.writeUInt16LE(Math.min(0xffff, Math.round(command.durationMs / 100)), 7);
  bytes[9] = 0x01; // permanent: set
  bytes[10] = 1;
  bytes[11] = 0;
  bytes[12] = command.restingColor;
  bytes[13] = command.restingColor;
  return bytes;
}

export function decodeLedCommand(data: Buffer): LedCommand | null {
  if (data.length < 14) return null;
  return {
    reader: data[0] as number,
    led: data[1] as number,
    color: data[5] as number,
    durationMs: data.readUInt16LE(7) * 100,
    restingColor: data[12] as number,
  };
}

export interface BuzzerCommand {
  readonly reader: number;
  readonly onMs: number;
  readonly offMs: number;
  readonly count: number;
}

export function encodeBuzzerCommand(command: BuzzerCommand): Buffer {
  return Buffer.from([
    command.reader,
    0x02, // tone: default
    Math.min(255, Math.round(command.onMs / 100)),
    Math.min(255, Math.round(command.offMs / 100)),
    command.count,
  ]);
}

export interface PdIdentity {
  readonly vendorCode: Buffer;
  readonly model: number;
  readonly version: number;
  readonly serialNumber: number;
  readonly firmware: string;
}

export function encodePdId(identity: PdIdentity): Buffer {
  const bytes = Buffer.alloc(12);
  identity.vendorCode.copy(bytes, 0, 0, 3);
  bytes[3] = identity.model;
  bytes[4] = identity.version;
  bytes.writeUInt32LE(identity.serialNumber >>> 0, 5);
  const [major, minor, build] = identity.firmware.split(".").map((part) => Number(part) & 0xff);
  bytes[9] = major ?? 0;
  bytes[10] = minor ?? 0;
  bytes[11] = build ?? 0;
  return bytes;
}

export function decodePdId(data: Buffer): PdIdentity | null {
  if (data.length < 12) return null;
  return {
    vendorCode: Buffer.from(data.subarray(0, 3)),
    model: data[3] as number,
    version: data[4] as number,
    serialNumber: data.readUInt32LE(5),
    firmware: `${data[9]}.${data[10]}.${data[11]}`,
  };
}

export interface PdCapability {
  readonly functionCode: number;
  readonly compliance: number;
  readonly count: number;
}

/** Function codes of PDCAP records this gateway reads. */
export const OsdpCapability = {
  cardDataFormat: 3,
  readerLedControl: 4,
  readerAudibleOutput: 5,
  checkCharacter: 8,
  communicationSecurity: 9,
  receiveBufferSize: 10,
} as const;

export function encodePdCapabilities(capabilities: readonly PdCapability[]): Buffer {
  return Buffer.from(capabilities.flatMap((c) => [c.functionCode, c.compliance, c.count]));
}

export function decodePdCapabilities(data: Buffer): PdCapability[] {
  const capabilities: PdCapability[] = [];
  for (let i = 0; i + 3 <= data.length; i += 3) {
    capabilities.push({
      functionCode: data[i] as number,
      compliance: data[i + 1] as number,
      count: data[i + 2] as number,
    });
  }
  return capabilities;
}

export interface RawCardRead {
  readonly reader: number;
  /** 0: raw, unspecified format; 1: Wiegand. */
  readonly format: number;
  readonly bitCount: number;
  readonly data: Buffer;
}

export function encodeRawCard(read: RawCardRead): Buffer {
  const bytes = Buffer.alloc(4 + read.data.length);
  bytes[0] = read.reader;
  bytes[1] = read.format;
  bytes.writeUInt16LE(read.bitCount, 2);
  read.data.copy(bytes, 4);
  return bytes;
}

export function decodeRawCard(data: Buffer): RawCardRead | null {
  if (data.length < 4) return null;
  const bitCount = data.readUInt16LE(2);
  const byteCount = Math.ceil(bitCount / 8);
  if (data.length !== 4 + byteCount || byteCount === 0) return null;
  return { reader: data[0] as number, format: data[1] as number, bitCount, data: data.subarray(4) };
}

export interface KeypadEntry {
  readonly reader: number;
  /** Keys as ASCII: "0"–"9", "*" and "#". */
  readonly keys: string;
}

export function encodeKeypad(entry: KeypadEntry): Buffer {
  const keys = Buffer.from(entry.keys, "ascii");
  return Buffer.concat([Buffer.from([entry.reader, keys.length]), keys]);
}

export function decodeKeypad(data: Buffer): KeypadEntry | null {
  if (data.length < 2 || data.length !== 2 + (data[1] as number)) return null;
  const keys = data.subarray(2).toString("ascii");
  if (!/^[0-9*#]*$/.test(keys)) return null;
  return { reader: data[0] as number, keys };
}

export interface LocalStatus {
  readonly tamper: boolean;
  readonly powerFailure: boolean;
}

export function encodeLocalStatus(status: LocalStatus): Buffer {
  return Buffer.from([status.tamper ? 1 : 0, status.powerFailure ? 1 : 0]);
}

export function decodeLocalStatus(data: Buffer): LocalStatus | null {
  if (data.length !== 2) return null;
  return { tamper: data[0] === 1, powerFailure: data[1] === 1 };
}

/** osdp_KEYSET: key type 1 (secure channel base key), length, key. */
export function encodeKeySet(scbk: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0x01, scbk.length]), scbk]);
}

export function decodeKeySet(data: Buffer): Buffer | null {
  if (data.length !== 18 || data[0] !== 0x01 || data[1] !== 16) return null;
  return Buffer.from(data.subarray(2));
}
