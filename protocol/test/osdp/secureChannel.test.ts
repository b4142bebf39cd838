import { describe, expect, it } from "vitest";
import {
  decodeOsdpPacket,
  deriveOsdpSessionKeys,
  encodeOsdpPacket,
  OsdpSecureChannel,
  osdpClientCryptogram,
  osdpCrc16,
  osdpDecryptData,
  osdpDefaultInstallKey,
  osdpEncryptData,
  osdpInitialRmac,
  osdpMessageMac,
  osdpReaderKey,
  osdpServerCryptogram,
} from "../../src/osdp/index.js";

const hex = (value: string) => Buffer.from(value.replace(/\s+/g, ""), "hex");

describe("OSDP secure channel (SIA OSDP Annex E vectors)", () => {
  const cpRandom = hex("B0B1B2B3B4B5B6B7");
  const pdRandom = hex("A0A1A2A3A4A5A6A7");
  const keys = deriveOsdpSessionKeys(osdpDefaultInstallKey, cpRandom);

  it("derives S-ENC, S-MAC1 and S-MAC2 from SCBK-D", () => {
    expect(osdpDefaultInstallKey).toEqual(hex("303132333435363738393A3B3C3D3E3F"));
    expect(keys.encryption).toEqual(hex("BF8DC2A8329ACB8C67C6D0CD9A451682"));
    expect(keys.mac1).toEqual(hex("5E86C676603BDEE2D8BEAFE178637332"));
    expect(keys.mac2).toEqual(hex("6FDA86E857777E81132035758239172E"));
  });

  it("computes the client and server cryptograms and the initial R-MAC", () => {
    expect(osdpClientCryptogram(keys, cpRandom, pdRandom)).toEqual(
      hex("FDE5D2F428EC16312471EA3C02BD7796"),
    );
    const server = osdpServerCryptogram(keys, cpRandom, pdRandom);
    expect(server).toEqual(hex("26D3356E07762D262801FC8E6665A891"));
    expect(osdpInitialRmac(keys, server)).toEqual(hex("B2A30057EB98BA2229EC1F875662B524"));
  });
});

describe("OSDP secure channel session between a CP and a PD", () => {
  const clientUid = hex("0011223344556677");
  const header = { address: 0x05, sequence: 1, useCrc: true };
  const replyHeader = { ...header, address: 0x85 };

  function handshake(cpKey: Buffer, pdKey: Buffer) {
    const cp = new OsdpSecureChannel("cp");
    const pd = new OsdpSecureChannel("pd");
    const challenge = cp.challenge();
    const ccrypt = pd.answerChallenge(challenge, pdKey, clientUid);
    const scrypt = ccrypt ? cp.acceptClientCryptogram(ccrypt, cpKey) : null;
    const rmacI = scrypt ? pd.answerServerCryptogram(scrypt) : null;
    const open = rmacI ? cp.acceptInitialRmac(rmacI) : false;
    return { cp, pd, open };
  }

  function opened(channel: OsdpSecureChannel, frame: Buffer) {
    const decoded = decodeOsdpPacket(frame);
    if (!decoded.ok) throw new Error(decoded.failure);
    return channel.open(decoded);
  }

  it("opens with a per-reader key and carries encrypted commands and replies along the MAC chain", () => {
    const readerKey = osdpReaderKey(hex("000102030405060708090A0B0C0D0E0F"), clientUid);
    const { cp, pd, open } = handshake(readerKey, readerKey);
    expect(open).toBe(true);
    for (let round = 0; round < 3; round += 1) {
      const command = cp.seal(header, 0x69, hex("00000201000202000A000101000000"));
      expect(command.includes(hex("00000201000202000A00"))).toBe(false); // encrypted on the wire
      expect(opened(pd, command)).toEqual({
        ok: true,
        code: 0x69,
        data: hex("00000201000202000A000101000000"),
      });
      const reply = pd.seal(replyHeader, 0x40, Buffer.alloc(0));
      expect(opened(cp, reply)).toEqual({ ok: true, code: 0x40, data: Buffer.alloc(0) });
    }
  });

  it("refuses a CP that does not hold the PD's key", () => {
    const { open } = handshake(
      osdpDefaultInstallKey,
      osdpReaderKey(Buffer.alloc(16, 9), clientUid),
    );
    expect(open).toBe(false);
  });

  it("refuses a tampered MAC, then stays closed", () => {
    const { cp, pd } = handshake(osdpDefaultInstallKey, osdpDefaultInstallKey);
    const command = cp.seal(header, 0x60, Buffer.alloc(0));
    command[command.length - 3] = (command[command.length - 3] as number) ^ 0x01; // last MAC byte
    // Recompute the CRC so that only the MAC is wrong.
    command.writeUInt16LE(osdpCrc16(command.subarray(0, command.length - 2)), command.length - 2);
    expect(opened(pd, command)).toEqual({ ok: false, failure: "mac-mismatch" });
    expect(pd.established).toBe(false);
  });

  it("refuses a replayed command (the MAC chain has moved on) and a plain packet", () => {
    const { cp, pd } = handshake(osdpDefaultInstallKey, osdpDefaultInstallKey);
    const first = cp.seal(header, 0x60, Buffer.alloc(0));
    expect(opened(pd, first).ok).toBe(true);
    pd.seal(replyHeader, 0x40, Buffer.alloc(0));
    expect(opened(pd, first)).toEqual({ ok: false, failure: "mac-mismatch" });
    const fresh = handshake(osdpDefaultInstallKey, osdpDefaultInstallKey);
    expect(
      opened(fresh.pd, encodeOsdpPacket({ ...header, code: 0x60, data: Buffer.alloc(0) })),
    ).toEqual({ ok: false, failure: "not-secure" });
  });

  it("pads data to whole blocks and refuses bad padding", () => {
    const keys = deriveOsdpSessionKeys(osdpDefaultInstallKey, hex("0001020304050607"));
    const chain = Buffer.alloc(16, 0x42);
    for (const length of [0, 1, 15, 16, 17]) {
      const data = Buffer.alloc(length, 0x33);
      const encrypted = osdpEncryptData(keys, chain, data);
      expect(encrypted.length % 16).toBe(0);
      expect(encrypted.length).toBeGreaterThan(length);
      expect(osdpDecryptData(keys, chain, encrypted)).toEqual(data);
    }
    expect(osdpDecryptData(keys, chain, Buffer.alloc(16))).toBeNull();
    expect(osdpMessageMac(keys, chain, Buffer.alloc(16)).length).toBe(16);
  });
});
