import { AesBlockCipher } from "./aesCmac.js";
import { diversifyAes128Key } from "./keyDiversification.js";
import { type SunMessage, type SunVerification, verifySunMessage } from "./sunMessage.js";

/**
 * Which key lives where (docs/hardware.md, "NTAG 424 DNA keys", says the same for operators):
 *
 * - The network master key (16 bytes, versioned) lives only in the cloud's secret store and on
 *   the enrolment desk. From it, with AN10922 diversification and fixed labels:
 *   - the **SUN verification set** (meta-read key + file-read diversifier) for one key version,
 *     which every gateway holds in its config: a SUN is verified offline at any centre;
 *   - each card's **application master key** (card slot 0), diversified with the UID from a
 *     branch the gateways never receive, so a stolen gateway cannot reprogram or lock cards.
 * - On the card: slot 0 the application master key, slot 2 the network meta-read key (it must be
 *   shared: the UID is unknown until the PICC data is decrypted), slot 3 the card's file-read
 *   (SDM MAC) key diversified from the file-read diversifier and the UID.
 * - In the bundle: no key at all, only the credential kind and the key version.
 *
 * A stolen gateway leaks the verification set of its key version: enough to forge SUNs for
 * UIDs the thief knows. Rotation moves the network to the next key version (gateways get the new
 * set, cards are re-personalised at their next visit to a desk, bundles say which version each
 * card holds) and the old version is then refused.
 */

const systemIdentifier = Buffer.from("Passerelle", "ascii");
const label = (name: string, version: number) =>
  Buffer.concat([Buffer.from(name, "ascii"), systemIdentifier, Buffer.from([version & 0xff])]);

export interface SunVerificationKeys {
  readonly version: number;
  /** Decrypts PICC data; shared by every card of this key version. */
  readonly metaReadKey: Buffer;
  /** Master of the per-card SDM file-read keys. */
  readonly fileReadDiversifier: Buffer;
}

export function sunVerificationKeys(networkMasterKey: Uint8Array, version: number) {
  return {
    version,
    metaReadKey: diversifyAes128Key(networkMasterKey, label("sdm-meta", version)),
    fileReadDiversifier: diversifyAes128Key(networkMasterKey, label("sdm-file", version)),
  } satisfies SunVerificationKeys;
}

function uidInput(uid: Uint8Array, version: number): Buffer {
  if (uid.length !== 7) throw new RangeError("an NTAG 424 DNA UID has 7 bytes");
  return Buffer.concat([uid, systemIdentifier, Buffer.from([version & 0xff])]);
}

/** The card's SDM file-read (MAC) key: what the gateway derives on each tap. */
export function cardFileReadKey(keys: SunVerificationKeys, uid: Uint8Array): Buffer {
  return diversifyAes128Key(keys.fileReadDiversifier, uidInput(uid, keys.version));
}

/**
 * Verifies the SUN messages of one key version, keeping the two fixed keys ready (one AES key
 * schedule each) so a tap costs two new key schedules: the card key and the session key.
 */
export class SunVerifier {
  readonly version: number;
  readonly #meta: AesBlockCipher;
  readonly #diversifier: AesBlockCipher;

  constructor(keys: SunVerificationKeys) {
    this.version = keys.version;
    this.#meta = new AesBlockCipher(keys.metaReadKey);
    this.#diversifier = new AesBlockCipher(keys.fileReadDiversifier);
  }

  verify(message: SunMessage): SunVerification {
    return verifySunMessage(message, this.#meta, (uid) =>
      diversifyAes128Key(this.#diversifier, uidInput(uid, this.version)),
    );
  }
}

/** The card's application master key: enrolment only, never on a gateway. */
export function cardApplicationMasterKey(
  networkMasterKey: Uint8Array,
  version: number,
  uid: Uint8Array,
): Buffer {
  const branch = diversifyAes128Key(networkMasterKey, label("app-master", version));
  return diversifyAes128Key(branch, uidInput(uid, version));
}
