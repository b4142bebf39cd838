import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signDocument, trustedKeysFromPem, verifyDocument } from "@passerelle/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  loadOrCreateSigningKey,
  publicKeyFileName,
  signingKeyFileName,
} from "../../src/bundles/signingKeyFile.js";
import { silentLogger } from "../mocks/mqttPorts.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "passerelle-key-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("loadOrCreateSigningKey", () => {
  it("creates an Ed25519 key on first start, private 0600, with its public key next to it", async () => {
    const dataDir = join(dir, "data");
    const key = await loadOrCreateSigningKey(dataDir, silentLogger);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(key.privateKey.asymmetricKeyType).toBe("ed25519");
    expect((await stat(join(dataDir, signingKeyFileName))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dataDir, publicKeyFileName), "utf8")).toBe(key.publicKeyPem);
    const frame = signDocument("bundle.full", "{}", key.privateKey);
    const trusted = trustedKeysFromPem([key.publicKeyPem]);
    expect(verifyDocument(frame, trusted, 1024).keyId).toBe(key.keyId);
  });

  it("loads the same key on the next start", async () => {
    const first = await loadOrCreateSigningKey(dir, silentLogger);
    const second = await loadOrCreateSigningKey(dir, silentLogger);
    expect(second.keyId).toBe(first.keyId);
  });

  it("gives concurrent first starts one and the same key", async () => {
    const keys = await Promise.all([1, 2, 3].map(() => loadOrCreateSigningKey(dir, silentLogger)));
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
  });

  it("tightens a private key file readable by others to 0600", async () => {
    await loadOrCreateSigningKey(dir, silentLogger);
    await chmod(join(dir, signingKeyFileName), 0o644);
    await loadOrCreateSigningKey(dir, silentLogger);
    expect((await stat(join(dir, signingKeyFileName))).mode & 0o777).toBe(0o600);
  });

  it("refuses a key file that is not an Ed25519 private key", async () => {
    await writeFile(join(dir, signingKeyFileName), "not a key", { mode: 0o600 });
    await expect(loadOrCreateSigningKey(dir, silentLogger)).rejects.toThrow();
  });
});
