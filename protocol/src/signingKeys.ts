import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";

/** The cloud's Ed25519 signing key as PEM text, and the short id gateways know it by. */
export interface SigningKeyPair {
  keyId: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    keyId: keyIdOf(publicKey),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** First 8 bytes of SHA-256 over the raw 32-byte public key (RFC 8410 §4 SPKI minus its prefix). */
export function keyIdOf(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256")
    .update(spki.subarray(spki.length - 32))
    .digest("hex")
    .slice(0, 16);
}

export function privateKeyFromPem(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== "ed25519") throw new TypeError("signing key must be Ed25519");
  return key;
}

export function publicKeyFromPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== "ed25519") throw new TypeError("verification key must be Ed25519");
  return key;
}

/** The keys a gateway trusts, by key id: usually one, two during a key rotation. */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

export function trustedKeysFromPem(pems: readonly string[]): TrustedKeys {
  return new Map(
    pems.map((pem) => {
      const key = publicKeyFromPem(pem);
      return [keyIdOf(key), key] as const;
    }),
  );
}
