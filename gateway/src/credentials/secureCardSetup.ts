import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type SunVerifier, sunVerifierFromKeysFile } from "@passerelle/protocol";
import type { Logger } from "../core/logger.js";
import { writeFileAtomic } from "../persistence/atomicFile.js";
import type { SecureCardContext } from "./credentialCheck.js";
import { ReadCounterTable } from "./readCounterTable.js";

/**
 * The gateway's SUN verification keys and its read counters. The keys file (mode 0600, written
 * by the provisioning tool from the network master key, docs/hardware.md) is JSON:
 * `{ "version": 1, "metaReadKey": "<32 hex>", "fileReadDiversifier": "<32 hex>" }`.
 * The counters live in the data directory as `sun-counters.json`, saved a second after a
 * change (never on the badge path): after a crash the last second's counters are lost, so a SUN
 * read in that second could be replayed once at this gateway; the counters the cloud sends back
 * close that gap when built.
 */
export interface SecureCards extends SecureCardContext {
  /** Saves the counters now if they changed (on stop). */
  flush(): void;
}

export function readSunKeys(path: string): SunVerifier {
  return sunVerifierFromKeysFile(readFileSync(path, "utf8"), path);
}

export function setUpSecureCards(
  options: { sunKeysFile?: string | undefined; dataDir: string },
  logger: Logger,
): SecureCards {
  const log = logger.child({ module: "gateway:secure-cards" });
  const verifier = options.sunKeysFile ? readSunKeys(options.sunKeysFile) : null;
  const file = join(options.dataDir, "sun-counters.json");
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  const counters = new ReadCounterTable(() => {
    dirty = true;
    timer ??= setTimeout(save, 1000);
  });
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    for (const [card, counter] of Object.entries(saved)) {
      if (typeof counter === "number") counters.raise(card, counter);
    }
  }
  function save(): void {
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    try {
      writeFileAtomic(file, JSON.stringify(counters.toJSON()));
    } catch (error) {
      log.error({ err: (error as Error).message }, "could not save SUN read counters");
    }
  }
  log.info({ sunKeys: verifier !== null, keyVersion: verifier?.version }, "secure cards ready");
  return {
    verifier,
    counters,
    flush() {
      clearTimeout(timer);
      save();
    },
  };
}
