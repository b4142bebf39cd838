import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sunVerificationKeys } from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { setUpSecureCards } from "../../src/credentials/secureCardSetup.js";

describe("secure card setup", () => {
  it("reads the SUN keys file and keeps read counters across a restart", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sun-"));
    const keys = sunVerificationKeys(Buffer.alloc(16, 4), 2);
    const sunKeysFile = join(dataDir, "sun-keys.json");
    writeFileSync(
      sunKeysFile,
      JSON.stringify({
        version: 2,
        metaReadKey: keys.metaReadKey.toString("hex"),
        fileReadDiversifier: keys.fileReadDiversifier.toString("hex"),
      }),
    );
    const first = setUpSecureCards({ sunKeysFile, dataDir }, silentLogger);
    expect(first.verifier?.version).toBe(2);
    expect(first.counters.accept("card-a", 7).fresh).toBe(true);
    first.flush();
    const second = setUpSecureCards({ dataDir }, silentLogger);
    expect(second.verifier).toBeNull();
    expect(second.counters.accept("card-a", 7).fresh).toBe(false);
    expect(second.counters.accept("card-a", 8).fresh).toBe(true);
    second.flush();
  });

  it("refuses a keys file without its keys, naming the file and not its content", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sun-"));
    const sunKeysFile = join(dataDir, "bad.json");
    writeFileSync(sunKeysFile, JSON.stringify({ version: 1, metaReadKey: "00ff" }));
    expect(() => setUpSecureCards({ sunKeysFile, dataDir }, silentLogger)).toThrow(/bad\.json/);
  });
});
