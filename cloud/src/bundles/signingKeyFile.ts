import { createPublicKey, type KeyObject } from "node:crypto";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateSigningKeyPair, keyIdOf, privateKeyFromPem } from "@passerelle/protocol";
import type { Logger } from "pino";

/** The cloud's Ed25519 bundle-signing key, as the publisher uses it. */
export interface CloudSigningKey {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  /** What gateways are provisioned with (`trustedKeysFromPem`). */
  readonly publicKeyPem: string;
}

export const signingKeyFileName = "bundle-signing-key.pem";
export const publicKeyFileName = "bundle-signing-key.pub.pem";

/**
 * Loads the signing key from the data directory, creating it on first start. The private key is
 * PKCS#8 PEM with mode 0600 (a looser mode found on disk is tightened, with a warning); the
 * public key is written next to it for provisioning gateways. Creation uses O_EXCL, so two
 * processes starting at once end up with the same key instead of overwriting each other's.
 */
export async function loadOrCreateSigningKey(
  dataDir: string,
  logger: Logger,
): Promise<CloudSigningKey> {
  const log = logger.child({ module: "cloud:bundles" });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const privatePath = join(dataDir, signingKeyFileName);
  let pem = await readIfExists(privatePath);
  if (pem === undefined) {
    const pair = generateSigningKeyPair();
    try {
      await writeFile(privatePath, pair.privateKeyPem, { mode: 0o600, flag: "wx" });
      log.info({ keyId: pair.keyId, path: privatePath }, "bundle signing key created");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    pem = await readFile(privatePath, "utf8");
  }
  const mode = (await stat(privatePath)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    log.warn(
      { path: privatePath, mode: mode.toString(8) },
      "signing key readable by others; set to 0600",
    );
    await chmod(privatePath, 0o600);
  }
  const privateKey = privateKeyFromPem(pem);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const publicPath = join(dataDir, publicKeyFileName);
  if ((await readIfExists(publicPath)) !== publicKeyPem) {
    await writeFile(publicPath, publicKeyPem, { mode: 0o644 });
  }
  return { keyId: keyIdOf(publicKey), privateKey, publicKeyPem };
}

/** A file's text, or undefined when it does not exist (any other error is thrown). */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
