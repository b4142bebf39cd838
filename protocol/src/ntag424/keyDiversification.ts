import { AesBlockCipher } from "./aesCmac.js";

/**
 * AES-128 key diversification as NXP's AN10922 describes it: the card key is a CMAC, under a
 * master key, of 0x01 followed by the diversification input (UID ‖ application id ‖ system
 * identifier), always padded to two blocks (0x80 then zeros, subkey K2) unless it fills them
 * (subkey K1). Plain CMAC agrees only for inputs of 16 to 31 bytes, hence this function.
 */
export function diversifyAes128Key(
  masterKey: Uint8Array | AesBlockCipher,
  input: Uint8Array,
): Buffer {
  const master = masterKey instanceof AesBlockCipher ? masterKey : new AesBlockCipher(masterKey);
  if (input.length < 1 || input.length > 31) {
    throw new RangeError("AN10922 diversification input must be 1 to 31 bytes");
  }
  const message = Buffer.alloc(32);
  message[0] = 0x01;
  message.set(input, 1);
  const padded = input.length < 31;
  if (padded) message[1 + input.length] = 0x80;
  const { k1, k2 } = master.subkeys();
  const subkey = padded ? k2 : k1;
  const first = master.encrypt(message.subarray(0, 16));
  const second = Buffer.alloc(16);
  for (let i = 0; i < 16; i += 1) {
    second[i] = (message[16 + i] as number) ^ (subkey[i] as number) ^ (first[i] as number);
  }
  return master.encrypt(second);
}
