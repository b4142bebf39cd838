import { type Cipher, createCipheriv, createDecipheriv, type Decipher } from "node:crypto";

/**
 * AES-128 CMAC (NIST SP 800-38B, RFC 4493) on node:crypto's AES-ECB block function.
 * Shared by NTAG 424 DNA SUN verification, key diversification and the firmware-sim card.
 */

const blockSize = 16;
/** The constant R_128 of SP 800-38B: the low byte folded back after a left shift overflows. */
const rb = 0x87;

export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Buffer {
  const cipher = createCipheriv("aes-128-ecb", key, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

function shiftLeftOne(input: Uint8Array): Buffer {
  const output = Buffer.alloc(blockSize);
  for (let i = 0; i < blockSize; i += 1) {
    const next = i + 1 < blockSize ? (input[i + 1] as number) : 0;
    output[i] = (((input[i] as number) << 1) | (next >>> 7)) & 0xff;
  }
  return output;
}

function doubled(input: Uint8Array): Buffer {
  const output = shiftLeftOne(input);
  if (((input[0] as number) & 0x80) !== 0)
    output[blockSize - 1] = (output[blockSize - 1] as number) ^ rb;
  return output;
}

export interface CmacSubkeys {
  readonly k1: Buffer;
  readonly k2: Buffer;
}

export function cmacSubkeys(key: Uint8Array): CmacSubkeys {
  const l = aesEncryptBlock(key, Buffer.alloc(blockSize));
  const k1 = doubled(l);
  return { k1, k2: doubled(k1) };
}

/**
 * One AES-128 key ready for single blocks: node:crypto's ECB cipher without padding answers
 * each 16-byte update at once, so one cipher object serves any number of blocks. Creating a
 * cipher costs more than encrypting a block: the SUN path keeps one per fixed key.
 */
export class AesBlockCipher {
  readonly #key: Uint8Array;
  #encryptor: Cipher | undefined;
  #decryptor: Decipher | undefined;
  #subkeys: CmacSubkeys | undefined;

  constructor(key: Uint8Array) {
    if (key.length !== blockSize) throw new RangeError("AES-128 needs a 16-byte key");
    this.#key = Uint8Array.from(key);
  }

  encrypt(block: Uint8Array): Buffer {
    if (!this.#encryptor) {
      this.#encryptor = createCipheriv("aes-128-ecb", this.#key, null);
      this.#encryptor.setAutoPadding(false);
    }
    return this.#encryptor.update(block);
  }

  decrypt(block: Uint8Array): Buffer {
    if (!this.#decryptor) {
      this.#decryptor = createDecipheriv("aes-128-ecb", this.#key, null);
      this.#decryptor.setAutoPadding(false);
    }
    return this.#decryptor.update(block);
  }

  subkeys(): CmacSubkeys {
    if (!this.#subkeys) {
      const k1 = doubled(this.encrypt(Buffer.alloc(blockSize)));
      this.#subkeys = { k1, k2: doubled(k1) };
    }
    return this.#subkeys;
  }

  /** The full 16-byte CMAC of `message`. */
  cmac(message: Uint8Array): Buffer {
    const { k1, k2 } = this.subkeys();
    const blocks = Math.max(1, Math.ceil(message.length / blockSize));
    const complete = message.length > 0 && message.length % blockSize === 0;
    let state: Buffer = Buffer.alloc(blockSize);
    for (let b = 0; b < blocks - 1; b += 1) {
      for (let i = 0; i < blockSize; i += 1) {
        state[i] = (state[i] as number) ^ (message[b * blockSize + i] as number);
      }
      state = this.encrypt(state);
    }
    const lastStart = (blocks - 1) * blockSize;
    const subkey = complete ? k1 : k2;
    const last = Buffer.alloc(blockSize);
    last.set(message.subarray(lastStart));
    if (!complete) last[message.length - lastStart] = 0x80;
    for (let i = 0; i < blockSize; i += 1) {
      last[i] = (last[i] as number) ^ (subkey[i] as number) ^ (state[i] as number);
    }
    return this.encrypt(last);
  }
}

/** The full 16-byte CMAC of `message` under the AES-128 `key`. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Buffer {
  return new AesBlockCipher(key).cmac(message);
}

/** The straightforward CMAC on AES-CBC, kept as a cross-check of AesBlockCipher in tests. */
export function aesCmacViaCbc(key: Uint8Array, message: Uint8Array): Buffer {
  if (key.length !== blockSize) throw new RangeError("AES-128 CMAC needs a 16-byte key");
  const { k1, k2 } = cmacSubkeys(key);
  const blocks = Math.max(1, Math.ceil(message.length / blockSize));
  const complete = message.length > 0 && message.length % blockSize === 0;
  const last = Buffer.alloc(blockSize);
  const lastStart = (blocks - 1) * blockSize;
  if (complete) {
    for (let i = 0; i < blockSize; i += 1)
      last[i] = (message[lastStart + i] as number) ^ (k1[i] as number);
  } else {
    const tail = message.subarray(lastStart);
    last.set(tail);
    last[tail.length] = 0x80;
    for (let i = 0; i < blockSize; i += 1) last[i] = (last[i] as number) ^ (k2[i] as number);
  }
  // CBC-MAC with a zero IV: the last ciphertext block of AES-CBC over the prepared blocks.
  const cipher = createCipheriv("aes-128-cbc", key, Buffer.alloc(blockSize));
  cipher.setAutoPadding(false);
  const body = cipher.update(Buffer.concat([message.subarray(0, lastStart), last]));
  return Buffer.from(body.subarray(body.length - blockSize));
}
