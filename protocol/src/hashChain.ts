import { createHash } from "node:crypto";
import { canonicalJson } from "./canonicalJson.js";

/** The "previous hash" of the first entry of a chain. */
export const genesisHash = "0".repeat(64);

/** Domain separation: an audit hash can never be mistaken for another SHA-256 of the system. */
export const chainHashPrefix = "passerelle-audit-v1\n";

/**
 * Hash of one audit entry, chained to the one before: SHA-256 over a domain prefix, the previous
 * hash and the entry's canonical JSON. Changing, removing or reordering any entry breaks every
 * link after it.
 */
export function chainHash(previousHash: string, entry: unknown): string {
  return createHash("sha256")
    .update(`${chainHashPrefix}${previousHash}\n`)
    .update(canonicalJson(entry))
    .digest("hex");
}

export interface ChainedEntry {
  entry: unknown;
  /** The previous hash as stored with the entry. */
  previousHash: string;
  hash: string;
}

export type ChainVerification =
  | { ok: true; checked: number; lastHash: string }
  | { ok: false; checked: number; brokenAt: number; why: "previous-hash" | "hash" };

/**
 * Walks a chain (e.g. rows streamed from the audit table) and names the first broken link by its
 * position. Accepts an async iterable so millions of rows never sit in memory.
 */
export async function verifyChain(
  entries: Iterable<ChainedEntry> | AsyncIterable<ChainedEntry>,
  startHash: string = genesisHash,
): Promise<ChainVerification> {
  let expectedPrevious = startHash;
  let index = 0;
  for await (const { entry, previousHash, hash } of entries) {
    if (previousHash !== expectedPrevious) {
      return { ok: false, checked: index, brokenAt: index, why: "previous-hash" };
    }
    if (chainHash(previousHash, entry) !== hash) {
      return { ok: false, checked: index, brokenAt: index, why: "hash" };
    }
    expectedPrevious = hash;
    index += 1;
  }
  return { ok: true, checked: index, lastHash: expectedPrevious };
}
