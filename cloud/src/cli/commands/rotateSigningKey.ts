import { createPublicKey } from "node:crypto";
import { chmod, copyFile, mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateSigningKeyPair, keyIdOf, privateKeyFromPem } from "@passerelle/protocol";
import { pino } from "pino";
import {
  loadOrCreateSigningKey,
  publicKeyFileName,
  readIfExists,
  signingKeyFileName,
} from "../../bundles/signingKeyFile.js";
import { exitCodes } from "../cliIo.js";
import type { CliCommand } from "../command.js";
import { requireDataDir, storeArgs } from "../storeArgs.js";

/** Where replaced keys are kept (0700): to check old bundles, or to roll back. */
export const retiredKeysDir = "retired-signing-keys";

/**
 * A new Ed25519 bundle-signing key in the data directory; the old one is archived, never
 * deleted. The running cloud keeps signing with the key it loaded: the new one is used from its
 * next start, which republishes every centre's bundle (compile-all on start). Gateways accept
 * it only once it is among their trusted keys: distribute the new public key first.
 */
export const rotateSigningKeyCommand: CliCommand = {
  name: "rotate-signing-key",
  summary: "replace the bundle-signing key (the old one is archived); used from the next start",
  help: ["  --data-dir DIR        the cloud's data directory (env PASSERELLE_DATA_DIR)"],
  options: { "data-dir": { type: "string" } },
  async run(values, io) {
    const dataDir = requireDataDir(storeArgs(values, io.env));
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const current = join(dataDir, signingKeyFileName);
    const oldPem = await readIfExists(current);
    const pair = generateSigningKeyPair();
    // Written beside, then renamed over: a crash leaves the old key or the new one, never half.
    const next = `${current}.new`;
    await writeFile(next, pair.privateKeyPem, { mode: 0o600 });
    await chmod(next, 0o600);
    if (oldPem !== undefined) {
      const oldId = keyIdOf(createPublicKey(privateKeyFromPem(oldPem)));
      const archive = join(dataDir, retiredKeysDir);
      await mkdir(archive, { recursive: true, mode: 0o700 });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const kept = join(archive, `bundle-signing-key.${oldId}.${stamp}.pem`);
      await copyFile(current, kept);
      await chmod(kept, 0o600);
      io.out(`old key ${oldId} archived as ${kept}`);
    }
    await rename(next, current);
    // Loading rewrites the public key file next to it, as the cloud does at start.
    const key = await loadOrCreateSigningKey(dataDir, pino({ level: "silent" }));
    io.out(`new signing key ${key.keyId}; public key in ${join(dataDir, publicKeyFileName)}`);
    io.out(
      "Add that public key to every gateway's trusted keys, then restart the cloud: it signs and republishes every bundle with the new key at start.",
    );
    return exitCodes.ok;
  },
};
