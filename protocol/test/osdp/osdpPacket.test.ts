import { describe, expect, it } from "vitest";
import {
  decodeOsdpPacket,
  encodeOsdpPacket,
  OsdpCommand,
  OsdpFrameParser,
  osdpChecksum,
  osdpCrc16,
} from "../../src/osdp/index.js";

const hex = (value: string) => Buffer.from(value.replace(/\s+/g, ""), "hex");
const le = (crc: number) => Buffer.from([crc & 0xff, crc >>> 8]);

describe("OSDP CRC-16 and checksum (SIA OSDP Annex E examples)", () => {
  it("gives the specification's CRC examples (sent least significant byte first)", () => {
    expect(le(osdpCrc16(hex("53 7F 0D 00 04 6E 00 80 25 00 00")))).toEqual(hex("6E 38"));
    expect(le(osdpCrc16(hex("53 00 09 00 04 61 00")))).toEqual(hex("C0 66"));
  });

  it("gives the specification's checksum examples", () => {
    expect(osdpChecksum(hex("53 7F 0C 00 00 6E 00 80 25 00 00"))).toBe(0x0f);
    expect(osdpChecksum(hex("53 00 08 00 00 61 00"))).toBe(0x44);
  });
});

describe("OSDP packet encoding", () => {
  it("encodes osdp_POLL and osdp_ID to address 0x65 byte for byte", () => {
    expect(
      encodeOsdpPacket({
        address: 0x65,
        sequence: 0,
        useCrc: true,
        code: OsdpCommand.poll,
        data: Buffer.alloc(0),
      }),
    ).toEqual(hex("53 65 08 00 04 60 60 90"));
    expect(
      encodeOsdpPacket({
        address: 0x65,
        sequence: 0,
        useCrc: true,
        code: OsdpCommand.id,
        data: hex("00"),
      }),
    ).toEqual(hex("53 65 09 00 04 61 00 D9 7A"));
  });

  it("round-trips a packet with a security block and a checksum", () => {
    const frame = encodeOsdpPacket({
      address: 0x81,
      sequence: 3,
      useCrc: false,
      securityBlock: { type: 0x12, data: hex("01") },
      code: 0x76,
      data: hex("0102030405"),
    });
    const decoded = decodeOsdpPacket(frame);
    expect(decoded.ok && decoded.packet).toMatchObject({
      address: 0x81,
      sequence: 3,
      useCrc: false,
      securityBlock: { type: 0x12, data: hex("01") },
      code: 0x76,
      data: hex("0102030405"),
    });
  });

  it("refuses a frame with a flipped bit, a wrong length or a security block past the end", () => {
    const frame = hex("53 65 08 00 04 60 60 90");
    const flipped = Buffer.from(frame);
    flipped[5] = 0x61;
    expect(decodeOsdpPacket(flipped)).toEqual({ ok: false, failure: "bad-check" });
    expect(decodeOsdpPacket(frame.subarray(0, 7))).toEqual({ ok: false, failure: "bad-length" });
    const badBlock = encodeOsdpPacket(
      {
        address: 1,
        sequence: 1,
        useCrc: true,
        securityBlock: { type: 0x15, data: Buffer.alloc(0) },
        code: 0x60,
        data: Buffer.alloc(0),
      },
      () => Buffer.alloc(4),
    );
    badBlock[5] = 40; // block length beyond the packet
    badBlock.writeUInt16LE(
      osdpCrc16(badBlock.subarray(0, badBlock.length - 2)),
      badBlock.length - 2,
    );
    expect(decodeOsdpPacket(badBlock)).toEqual({ ok: false, failure: "bad-security-block" });
  });
});

describe("OsdpFrameParser", () => {
  const poll = hex("53 65 08 00 04 60 60 90");
  const id = hex("53 65 09 00 04 61 00 D9 7A");

  function parse(chunks: Buffer[]) {
    const parser = new OsdpFrameParser();
    const frames: Buffer[] = [];
    const drops: string[] = [];
    parser.on("data", (frame: Buffer) => frames.push(frame));
    parser.on("drop", (reason: string) => drops.push(reason));
    for (const chunk of chunks) parser.write(chunk);
    return { frames, drops, parser };
  }

  it("cuts back-to-back frames and frames split at every byte", () => {
    const both = Buffer.concat([poll, id]);
    expect(parse([both]).frames).toEqual([poll, id]);
    const bytes = [...both].map((byte) => Buffer.from([byte]));
    expect(parse(bytes).frames).toEqual([poll, id]);
  });

  it("skips garbage and mark bytes before a frame", () => {
    const { frames, drops } = parse([hex("FF FF 00 12"), poll]);
    expect(frames).toEqual([poll]);
    expect(drops).toContain("garbage");
  });

  it("drops a frame with a bad CRC and still finds the next one", () => {
    const bad = Buffer.from(poll);
    bad[6] = 0;
    const { frames, drops } = parse([bad, id]);
    expect(frames).toEqual([id]);
    expect(drops).toContain("bad-check");
  });

  it("survives a flood of garbage containing SOM bytes and impossible lengths", () => {
    let state = 7;
    const flood = Buffer.alloc(20_000);
    for (let i = 0; i < flood.length; i += 1) {
      state = (state * 1103515245 + 12345) >>> 0;
      flood[i] = i % 97 === 0 ? 0x53 : state >>> 24;
    }
    const { frames, parser } = parse([flood]);
    parser.reset(); // what the CP does after a reply timeout
    parser.write(id);
    expect(frames.at(-1)).toEqual(id);
  });
});
