import { canonicalJson } from "./canonicalJson.js";
import { limits } from "./limits.js";
import type {
  AccessWindow,
  BundleCredential,
  DeltaBundle,
  FullBundle,
  PassRule,
} from "./schemas/bundle.js";
import {
  type CompactDeltaBundle,
  type CompactFullBundle,
  type CredentialColumns,
  credentialFlags,
  credentialHashLength,
  windowKinds,
} from "./schemas/compactBundle.js";

/** Gives each distinct list one position in a table, the first time it is seen. */
class ListTable<T> {
  readonly lists: T[][] = [];
  private readonly positions = new Map<string, number>();

  constructor(private readonly keyOf: (list: readonly T[]) => string) {}

  positionOf(list: readonly T[]): number {
    const key = this.keyOf(list);
    let position = this.positions.get(key);
    if (position === undefined) {
      position = this.lists.length;
      this.lists.push([...list]);
      this.positions.set(key, position);
    }
    return position;
  }
}

/** Credentials to the wire's columns (cloud side). Order is kept, so the bytes are reproducible. */
export function encodeCredentials(credentials: readonly BundleCredential[]): CredentialColumns {
  // Door ids match the Id pattern, which has no comma: the joined ids are a faithful key.
  const doorLists = new ListTable<string>((ids) => ids.join(","));
  const passLists = new ListTable<PassRule>(canonicalJson);
  const columns: CredentialColumns = {
    hashes: credentials.map((c) => c.hash).join(""),
    // Ids match the Id pattern, which has no comma. One string, not 100 000: see the schema.
    members: credentials.map((c) => c.member).join(","),
    flags: [],
    doorListIndex: [],
    passListIndex: [],
    windowCounts: [],
    windows: [],
    doorLists: doorLists.lists,
    passLists: passLists.lists,
  };
  const readCounters: Record<string, number> = {};
  const pinHashes: Record<string, string> = {};
  for (const c of credentials) {
    if (c.readCounter !== undefined) readCounters[c.hash] = c.readCounter;
    if (c.pinHash !== undefined) pinHashes[c.hash] = c.pinHash;
    columns.flags.push(
      (c.status === "revoked" ? credentialFlags.revoked : 0) |
        (c.staff ? credentialFlags.staff : 0) |
        (c.offlineStaff ? credentialFlags.offlineStaff : 0) |
        (c.secureCard ? credentialFlags.secureCard : 0),
    );
    columns.doorListIndex.push(doorLists.positionOf(c.doors));
    columns.passListIndex.push(passLists.positionOf(c.passes));
    columns.windowCounts.push(c.windows.length);
    for (const w of c.windows) {
      columns.windows.push(Date.parse(w.from), Date.parse(w.to), windowKinds[w.source]);
    }
  }
  // Absent when empty: a bundle without SUN cards or PINs is byte for byte what it was before.
  if (Object.keys(readCounters).length > 0) columns.readCounters = readCounters;
  if (Object.keys(pinHashes).length > 0) columns.pinHashes = pinHashes;
  return columns;
}

/** How many credentials the columns hold (the length of `hashes` over 22). */
export function credentialCount(columns: Pick<CredentialColumns, "hashes">): number {
  return Math.floor(columns.hashes.length / credentialHashLength);
}

/** The hash of the credential at `position`. */
export function credentialHashAt(hashes: string, position: number): string {
  return hashes.slice(position * credentialHashLength, (position + 1) * credentialHashLength);
}

/**
 * What the schema cannot say about columns: that they agree with each other. An empty list means
 * the columns are sound; else up to a few readable problems. Linear, allocation-free per credential.
 */
export function checkCredentialColumns(columns: CredentialColumns, at: string): string[] {
  const problems: string[] = [];
  if (columns.hashes.length % credentialHashLength !== 0) {
    problems.push(`${at}/hashes: length is not a multiple of ${credentialHashLength}`);
  }
  const count = credentialCount(columns);
  const members = memberIdProblem(columns.members, count);
  if (members !== null) problems.push(`${at}/members: ${members}`);
  for (const name of ["flags", "doorListIndex", "passListIndex", "windowCounts"] as const) {
    if (columns[name].length !== count) {
      problems.push(`${at}/${name}: ${columns[name].length} entries for ${count} credentials`);
    }
  }
  if (problems.length > 0) return problems;
  const outOfRange = (indexes: readonly number[], size: number) =>
    indexes.findIndex((i) => i >= size);
  const badDoor = outOfRange(columns.doorListIndex, columns.doorLists.length);
  if (badDoor >= 0) problems.push(`${at}/doorListIndex/${badDoor}: no such door list`);
  const badPass = outOfRange(columns.passListIndex, columns.passLists.length);
  if (badPass >= 0) problems.push(`${at}/passListIndex/${badPass}: no such pass list`);
  let windowCount = 0;
  for (const n of columns.windowCounts) windowCount += n;
  if (windowCount > limits.windowsPerBundle || windowCount * 3 !== columns.windows.length) {
    problems.push(
      `${at}/windows: ${columns.windows.length} numbers for ${windowCount} windows (3 each)`,
    );
  } else {
    for (let i = 2; i < columns.windows.length; i += 3) {
      const kind = columns.windows[i];
      if (kind !== windowKinds.booking && kind !== windowKinds.pass) {
        problems.push(`${at}/windows/${i}: kind ${kind} is neither 0 (pass) nor 1 (booking)`);
        break;
      }
    }
  }
  return problems;
}

const comma = 0x2c;
const isAlphanumeric = (code: number) =>
  (code >= 0x30 && code <= 0x39) ||
  (code >= 0x41 && code <= 0x5a) ||
  (code >= 0x61 && code <= 0x7a);

/**
 * Whether `members` holds `count` ids, each as the Id pattern says (starts with a letter or
 * digit, at most `limits.idLength` characters); the schema already allowed only Id characters.
 */
function memberIdProblem(members: string, count: number): string | null {
  if (members.length === 0) return count === 0 ? null : `0 ids for ${count} credentials`;
  let ids = 0;
  let start = 0;
  for (let i = 0; i <= members.length; i += 1) {
    if (i < members.length && members.charCodeAt(i) !== comma) continue;
    if (!isAlphanumeric(members.charCodeAt(start)) || i - start > limits.idLength) {
      return `id ${ids} is empty, too long or starts with a sign`;
    }
    ids += 1;
    start = i + 1;
  }
  return ids === count ? null : `${ids} ids for ${count} credentials`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Columns back to one object per credential (tests, tools, the cloud's own checks). */
export function expandCredentials(columns: CredentialColumns): BundleCredential[] {
  const credentials: BundleCredential[] = [];
  const members = columns.members === "" ? [] : columns.members.split(",");
  let w = 0;
  for (let i = 0; i < credentialCount(columns); i += 1) {
    const flags = columns.flags[i] ?? 0;
    const windows: AccessWindow[] = [];
    for (let n = columns.windowCounts[i] ?? 0; n > 0; n -= 1, w += 3) {
      windows.push({
        from: iso(columns.windows[w] ?? 0),
        to: iso(columns.windows[w + 1] ?? 0),
        source: columns.windows[w + 2] === windowKinds.booking ? "booking" : "pass",
      });
    }
    const hash = credentialHashAt(columns.hashes, i);
    const readCounter = columns.readCounters?.[hash];
    const pinHash = columns.pinHashes?.[hash];
    credentials.push({
      hash,
      member: members[i] ?? "",
      status: flags & credentialFlags.revoked ? "revoked" : "active",
      doors: [...(columns.doorLists[columns.doorListIndex[i] ?? 0] ?? [])],
      windows,
      passes: [...(columns.passLists[columns.passListIndex[i] ?? 0] ?? [])],
      staff: (flags & credentialFlags.staff) !== 0,
      offlineStaff: (flags & credentialFlags.offlineStaff) !== 0,
      ...((flags & credentialFlags.secureCard) !== 0 ? { secureCard: true } : {}),
      ...(readCounter === undefined ? {} : { readCounter }),
      ...(pinHash === undefined ? {} : { pinHash }),
    });
  }
  return credentials;
}

export function encodeFullBundle(bundle: FullBundle): CompactFullBundle {
  return { ...bundle, credentials: encodeCredentials(bundle.credentials) };
}

export function expandFullBundle(bundle: CompactFullBundle): FullBundle {
  return { ...bundle, credentials: expandCredentials(bundle.credentials) };
}

export function encodeDeltaBundle(delta: DeltaBundle): CompactDeltaBundle {
  return { ...delta, upsert: encodeCredentials(delta.upsert), remove: delta.remove.join("") };
}

export function expandDeltaBundle(delta: CompactDeltaBundle): DeltaBundle {
  const remove: string[] = [];
  for (let i = 0; i < credentialCount({ hashes: delta.remove }); i += 1) {
    remove.push(credentialHashAt(delta.remove, i));
  }
  return { ...delta, upsert: expandCredentials(delta.upsert), remove };
}
