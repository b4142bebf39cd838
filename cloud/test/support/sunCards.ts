import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  aesEncryptBlock,
  cardFileReadKey,
  type SunVerificationKeys,
  sdmMac,
  sunVerificationKeys,
} from "@passerelle/protocol";

/** The test network's SUN verification set (a fixed master key: tests only). */
export const testSunKeys = sunVerificationKeys(Buffer.alloc(16, 0x42), 1);

/** Writes the set as the cloud's PASSERELLE_SUN_KEYS_FILE reads it; returns its path. */
export function writeSunKeysFile(directory: string, keys = testSunKeys): string {
  const path = join(directory, "sun-keys.json");
  writeFileSync(
    path,
    JSON.stringify({
      version: keys.version,
      metaReadKey: keys.metaReadKey.toString("hex"),
      fileReadDiversifier: keys.fileReadDiversifier.toString("hex"),
    }),
    { mode: 0o600 },
  );
  return path;
}

/**
 * The SUN URL an NTAG 424 DNA card of that network writes on a read (AN12196: PICC data with
 * UID and counter mirrored, MAC over nothing), as firmware-sim's simulated card makes it.
 */
export function sunUrlOf(uid: Buffer, counter: number, keys: SunVerificationKeys = testSunKeys) {
  const plain = Buffer.alloc(16);
  plain[0] = 0xc7;
  uid.copy(plain, 1);
  plain.writeUIntLE(counter, 8, 3);
  randomBytes(5).copy(plain, 11);
  const e = aesEncryptBlock(keys.metaReadKey, plain).toString("hex").toUpperCase();
  const mac = sdmMac(cardFileReadKey(keys, uid), uid, counter, Buffer.alloc(0));
  return `https://passerelle.example/t?e=${e}&c=${mac.toString("hex").toUpperCase()}`;
}

/** A fresh 7-byte NTAG 424 DNA UID. */
export const freshCardUid = () => Buffer.concat([Buffer.from([0x04]), randomBytes(6)]);
