import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  type BundleRequest,
  openCompactBundle,
  ProtocolError,
  type TrustedKeys,
} from "@passerelle/protocol";
import type { Logger } from "../core/logger.js";
import { type AccessIndex, applyDeltaToIndex, buildIndex } from "../decision/accessIndex.js";
import { writeFileAtomic } from "../persistence/atomicFile.js";

export interface BundleStoreOptions {
  directory: string;
  centre: string;
  trustedKeys: TrustedKeys;
  now: () => number;
  logger: Logger;
  /** Ask the cloud for a full bundle (a delta gap, a refused bundle, at start). */
  requestFull: (reason: BundleRequest["reason"]) => void;
  /** A new index is in force (for events and the clock guard). */
  onApplied?: (index: AccessIndex) => void;
  /** A bundle was refused (for an event and a log line). */
  onRejected?: (code: string, message: string) => void;
  /**
   * Least time between two full-bundle requests. A bundle the gateway keeps refusing (say,
   * signed by a key it does not trust yet) must not turn into a request loop at network speed.
   */
  minRequestIntervalMs?: number;
}

export interface BundleStoreStatus {
  version: number | null;
  validUntil: number | null;
  /** The cloud's issue time of the bundle (or delta) in force. */
  issuedAt: number | null;
  lastRejection: { code: string; at: number } | null;
}

const fullFile = "bundle.full";
const deltaFile = (version: number) => `bundle.delta.${String(version).padStart(12, "0")}`;
const deltaVersionOf = (name: string) => Number(name.slice("bundle.delta.".length));

/**
 * Holds the access bundle in force. A frame from MQTT is verified (signature, schema, centre,
 * version, expiry), indexed, and only then swapped in by replacing one reference, so a decision
 * never sees half a bundle and a refused frame leaves the old index in force. The signed frames
 * themselves are persisted (the full bundle, then each delta applied since), so the bundle
 * loaded at start is re-verified by the same code as one received.
 */
export class BundleStore {
  private index: AccessIndex | null = null;
  private lastRequestAt = Number.NEGATIVE_INFINITY;
  private lastRejection: BundleStoreStatus["lastRejection"] = null;
  private readonly log: Logger;

  constructor(private readonly options: BundleStoreOptions) {
    this.log = options.logger.child({ module: "gateway:bundle" });
    mkdirSync(options.directory, { recursive: true });
  }

  /** The index in force, or null when no good bundle is held. Read it once per decision. */
  current(): AccessIndex | null {
    return this.index;
  }

  status(): BundleStoreStatus {
    return {
      version: this.index?.version ?? null,
      validUntil: this.index?.validUntil ?? null,
      issuedAt: this.index?.issuedAt ?? null,
      lastRejection: this.lastRejection,
    };
  }

  /**
   * Loads the last good bundle from disk. An expired one is still loaded: it is the cloud's
   * last word, and the engine lets only offline staff in on it. A corrupt file is refused and
   * reported. A full bundle is requested either way: the cloud may have moved on meanwhile.
   */
  load(): void {
    const fullPath = join(this.options.directory, fullFile);
    if (existsSync(fullPath)) {
      try {
        // now = 0: expiry is no reason to forget the last good bundle (see above).
        const full = this.open(readFileSync(fullPath), null, 0);
        if (full.type !== "bundle.full")
          throw new ProtocolError("signature.malformed", "bundle.full holds a delta");
        let index = buildIndex(full);
        for (const name of this.deltaFiles()) {
          if (deltaVersionOf(name) <= index.version) {
            // A leftover of the chain a newer full bundle replaced: receiveFull writes the full
            // frame first and deletes the deltas after, and a power cut may fall in between.
            rmSync(join(this.options.directory, name), { force: true });
            continue;
          }
          const delta = this.open(
            readFileSync(join(this.options.directory, name)),
            index.version,
            0,
          );
          if (delta.type !== "bundle.delta") break;
          index = applyDeltaToIndex(index, delta);
        }
        this.swap(index);
      } catch (error) {
        this.reject(error);
      }
    }
    this.request("start");
  }

  /**
   * A full bundle arrived (retained, or answering a request). One at exactly the held version is
   * no news: the cloud publishes each version as a delta and then as the retained full bundle,
   * and the broker hands the retained one again at every reconnect. That one is not refused: it
   * becomes the base on disk (the deltas it sums up are deleted, so the chain replayed at start
   * stays short) and its index replaces the one the deltas built, without an event.
   */
  receiveFull(frame: Buffer): void {
    try {
      const held = this.index?.version ?? null;
      // Opened as if one version older is held, so the same version passes and an older fails.
      const bundle = this.open(frame, held === null ? null : held - 1, this.options.now());
      if (bundle.type !== "bundle.full")
        throw new ProtocolError("signature.malformed", "a delta on the full topic");
      if (bundle.version === held && this.isHeld(frame)) return;
      const index = buildIndex(bundle);
      writeFileAtomic(join(this.options.directory, fullFile), frame);
      for (const name of this.deltaFiles())
        rmSync(join(this.options.directory, name), { force: true });
      if (bundle.version === held) {
        this.index = index;
        this.log.debug({ version: held }, "full bundle at the held version; now the base on disk");
        return;
      }
      this.swap(index);
    } catch (error) {
      this.reject(error);
    }
  }

  /** A delta arrived: applied when it starts at the held version, else a full bundle is asked. */
  receiveDelta(frame: Buffer): void {
    const current = this.index;
    if (current === null) {
      this.request("gap");
      return;
    }
    try {
      const delta = this.open(frame, current.version, this.options.now());
      if (delta.type !== "bundle.delta")
        throw new ProtocolError("signature.malformed", "a full bundle on the delta topic");
      const index = applyDeltaToIndex(current, delta);
      writeFileAtomic(join(this.options.directory, deltaFile(delta.version)), frame);
      this.swap(index);
    } catch (error) {
      this.reject(error);
    }
  }

  private open(frame: Buffer, heldVersion: number | null, now: number) {
    return openCompactBundle(frame, {
      trustedKeys: this.options.trustedKeys,
      heldVersion,
      now,
      centre: this.options.centre,
    });
  }

  private isHeld(frame: Buffer): boolean {
    try {
      return readFileSync(join(this.options.directory, fullFile)).equals(frame);
    } catch {
      return false;
    }
  }

  private deltaFiles(): string[] {
    return readdirSync(this.options.directory)
      .filter((name) => /^bundle\.delta\.\d{12}$/.test(name))
      .sort();
  }

  private swap(index: AccessIndex): void {
    this.index = index; // the one assignment that puts the new rules in force
    this.log.info(
      { version: index.version, credentials: index.credentials.size },
      "bundle in force",
    );
    this.options.onApplied?.(index);
  }

  private reject(error: unknown): void {
    const code = error instanceof ProtocolError ? error.code : "bundle.io";
    const message = error instanceof Error ? error.message : String(error);
    this.lastRejection = { code, at: this.options.now() };
    this.log.warn(
      { code, err: message, heldVersion: this.index?.version ?? null },
      "bundle refused; keeping the one in force",
    );
    this.options.onRejected?.(code, message);
    if (code === "bundle.delta-gap") this.request("gap");
    else if (code === "bundle.expired") this.request("expired");
    else if (code !== "bundle.not-newer" && code !== "bundle.wrong-centre")
      this.request("rejected");
  }

  private request(reason: BundleRequest["reason"]): void {
    const now = this.options.now();
    if (
      reason !== "start" &&
      now - this.lastRequestAt < (this.options.minRequestIntervalMs ?? 10_000)
    )
      return;
    this.lastRequestAt = now;
    this.options.requestFull(reason);
  }
}
