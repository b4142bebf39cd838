import { createCipheriv, createDecipheriv } from "node:crypto";

/**
 * The AES-128 primitives of the OSDP secure channel (SIA OSDP 2.2, Annex D), pure:
 * session keys from the secure channel base key (SCBK) and the CP's random, the two
 * cryptograms of the handshake, the initial R-MAC, the chained MAC of each message and the
 * encryption of its data.
 */

/** SCBK-D: the well-known install key a PD accepts until it is given its own (KEYSET). */
export const osdpDefaultInstallKey = Buffer.from("303132333435363738393A3B3C3D3E3F", "hex");

function ecb(key: Uint8Array, block: Uint8Array): Buffer {
  const cipher = createCipheriv("aes-128-ecb", key, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

function cbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const cipher = createCipheriv("aes-128-cbc", key, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

function cbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const decipher = createDecipheriv("aes-128-cbc", key, iv);
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

export interface OsdpSessionKeys {
  readonly encryption: Buffer;
  readonly mac1: Buffer;
  readonly mac2: Buffer;
}

function sessionKey(scbk: Uint8Array, selector: number, cpRandom: Uint8Array): Buffer {
  const block = Buffer.alloc(16);
  block[0] = 0x01;
  block[1] = selector;
  block.set(cpRandom.subarray(0, 6), 2);
  return ecb(scbk, block);
}

/** S-ENC, S-MAC1, S-MAC2 from the SCBK and the first 6 bytes of the CP's random (RND.A). */
export function deriveOsdpSessionKeys(scbk: Uint8Array, cpRandom: Uint8Array): OsdpSessionKeys {
  return {
    encryption: sessionKey(scbk, 0x82, cpRandom),
    mac1: sessionKey(scbk, 0x01, cpRandom),
    mac2: sessionKey(scbk, 0x02, cpRandom),
  };
}

/** The PD's ("client") cryptogram: AES(S-ENC, RND.A ‖ RND.B). */
export function osdpClientCryptogram(
  keys: OsdpSessionKeys,
  cpRandom: Uint8Array,
  pdRandom: Uint8Array,
) {
  return ecb(keys.encryption, Buffer.concat([cpRandom, pdRandom]));
}

/** The CP's ("server") cryptogram: AES(S-ENC, RND.B ‖ RND.A). */
export function osdpServerCryptogram(
  keys: OsdpSessionKeys,
  cpRandom: Uint8Array,
  pdRandom: Uint8Array,
) {
  return ecb(keys.encryption, Buffer.concat([pdRandom, cpRandom]));
}

/** R-MAC-I: AES(S-MAC2, AES(S-MAC1, server cryptogram)), the first IV of the MAC chain. */
export function osdpInitialRmac(keys: OsdpSessionKeys, serverCryptogram: Uint8Array): Buffer {
  return ecb(keys.mac2, ecb(keys.mac1, serverCryptogram));
}

/**
 * A per-reader SCBK diversified from the installation's master key and the PD's client UID
 * (cUID, 8 bytes of its CCRYPT reply): AES(master, cUID ‖ ¬cUID), the derivation SIA suggests.
 */
export function osdpReaderKey(masterKey: Uint8Array, clientUid: Uint8Array): Buffer {
  const block = Buffer.alloc(16);
  for (let i = 0; i < 8; i += 1) {
    block[i] = clientUid[i] as number;
    block[i + 8] = ~(clientUid[i] as number) & 0xff;
  }
  return ecb(masterKey, block);
}

/**
 * The MAC of one message: CBC over the message padded (0x80, zeros; none when already a whole
 * number of blocks), all blocks but the last under S-MAC1 and the last under S-MAC2, starting
 * from `chain` (the last MAC received: R-MAC for a command, C-MAC for a reply). The whole 16
 * bytes become the next link of the chain; the packet carries the first 4.
 */
export function osdpMessageMac(keys: OsdpSessionKeys, chain: Uint8Array, message: Uint8Array) {
  const paddedLength = Math.max(16, Math.ceil(message.length / 16) * 16);
  const padded = Buffer.alloc(paddedLength);
  padded.set(message);
  if (message.length % 16 !== 0 || message.length === 0) padded[message.length] = 0x80;
  let iv: Uint8Array = chain;
  if (paddedLength > 16) {
    const head = cbcEncrypt(keys.mac1, chain, padded.subarray(0, paddedLength - 16));
    iv = head.subarray(head.length - 16);
  }
  return cbcEncrypt(keys.mac2, iv, padded.subarray(paddedLength - 16));
}

function invertedIv(chain: Uint8Array): Buffer {
  const iv = Buffer.alloc(16);
  for (let i = 0; i < 16; i += 1) iv[i] = ~(chain[i] as number) & 0xff;
  return iv;
}

/** Encrypts message data (always padded with 0x80 then zeros) under S-ENC, IV = ¬chain. */
export function osdpEncryptData(keys: OsdpSessionKeys, chain: Uint8Array, data: Uint8Array) {
  const padded = Buffer.alloc(Math.floor(data.length / 16) * 16 + 16);
  padded.set(data);
  padded[data.length] = 0x80;
  return cbcEncrypt(keys.encryption, invertedIv(chain), padded);
}

/** Decrypts message data and strips its padding; null when the padding is not OSDP's. */
export function osdpDecryptData(keys: OsdpSessionKeys, chain: Uint8Array, data: Uint8Array) {
  if (data.length === 0 || data.length % 16 !== 0) return null;
  const padded = cbcDecrypt(keys.encryption, invertedIv(chain), data);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (end < 0 || padded[end] !== 0x80 || padded.length - end > 16) return null;
  return padded.subarray(0, end);
}
