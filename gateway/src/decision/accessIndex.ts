import {
  type CentreRules,
  type CompactDeltaBundle,
  type CompactFullBundle,
  credentialHashLength,
  type Door,
} from "@passerelle/protocol";
import { CredentialTable } from "./credentialTable.js";
import { LocalClock } from "./localTime.js";
import { type CompiledWeek, compileWeek } from "./weeklyHours.js";

export type { IndexedPass } from "./credentialTable.js";
export { CredentialTable };

/**
 * The in-memory form of a verified bundle. Immutable: a delta produces a new index, and the
 * bundle store swaps one reference, so a decision in flight never sees half a bundle.
 */
export interface AccessIndex {
  centre: string;
  version: number;
  issuedAt: number;
  validUntil: number;
  credentialSalt: string;
  /** The centre's rules as the bundle gave them (presence needs the raw opening hours). */
  rules: CentreRules;
  timeZone: string;
  localClock: LocalClock;
  openingHours: CompiledWeek;
  closedDates: ReadonlySet<string>;
  doors: ReadonlyMap<string, Door>;
  credentials: CredentialTable;
  /**
   * The highest SUN read counter the network had seen per card when the bundle was compiled
   * (sparse: SUN cards only). A SUN at or below it was used elsewhere: a replay.
   */
  readCounterFloors: ReadonlyMap<string, number>;
  /** PIN hashes of the cards that have a PIN, for card + PIN doors (sparse). */
  pinHashes: ReadonlyMap<string, string>;
}

/** A sparse column of the wire form as a Map (an absent column is an empty map). */
function sparse<T>(column: Readonly<Record<string, T>> | undefined): Map<string, T> {
  return new Map(column === undefined ? [] : Object.entries(column));
}

/**
 * A sparse column after a delta: upserted and removed credentials lose their old entry (an
 * upsert is the whole credential), then the upserts' own entries are put in.
 */
function sparseAfterDelta<T>(
  before: ReadonlyMap<string, T>,
  delta: CompactDeltaBundle,
  column: Readonly<Record<string, T>> | undefined,
): ReadonlyMap<string, T> {
  if (before.size === 0 && column === undefined) return before;
  const after = new Map(before);
  for (const hashes of [delta.upsert.hashes, delta.remove]) {
    for (let at = 0; at + credentialHashLength <= hashes.length; at += credentialHashLength) {
      after.delete(hashes.slice(at, at + credentialHashLength));
    }
  }
  for (const [hash, value] of Object.entries(column ?? {})) after.set(hash, value);
  return after;
}

function centreFields(rules: CentreRules, previous?: AccessIndex) {
  const timeZone = rules.timeZone;
  return {
    rules,
    timeZone,
    localClock:
      previous && previous.timeZone === timeZone ? previous.localClock : new LocalClock(timeZone),
    openingHours: compileWeek(rules.openingHours),
    closedDates: new Set(rules.closedDates),
  };
}

const doorMap = (doors: readonly Door[]) => new Map(doors.map((door) => [door.id, door]));

/**
 * Builds the index of a full bundle straight from the wire's columns (off the badge path: at
 * start and when a bundle arrives). Nothing of the parsed body is kept but the member ids and
 * the small centre fields, so the body can be collected as soon as this returns.
 */
export function buildIndex(bundle: CompactFullBundle): AccessIndex {
  return {
    centre: bundle.centre,
    version: bundle.version,
    issuedAt: Date.parse(bundle.issuedAt),
    validUntil: Date.parse(bundle.validUntil),
    credentialSalt: bundle.credentialSalt,
    ...centreFields(bundle.rules),
    doors: doorMap(bundle.doors),
    credentials: CredentialTable.fromColumns(bundle.credentials),
    readCounterFloors: sparse(bundle.credentials.readCounters),
    pinHashes: sparse(bundle.credentials.pinHashes),
  };
}

/** The index a verified delta leads to; the given index is left untouched (copy on write). */
export function applyDeltaToIndex(index: AccessIndex, delta: CompactDeltaBundle): AccessIndex {
  return {
    ...index,
    version: delta.version,
    issuedAt: Date.parse(delta.issuedAt),
    validUntil: Date.parse(delta.validUntil),
    ...(delta.rules ? centreFields(delta.rules, index) : {}),
    ...(delta.doors ? { doors: doorMap(delta.doors) } : {}),
    credentials: index.credentials.withDelta(delta.upsert, delta.remove),
    readCounterFloors: sparseAfterDelta(index.readCounterFloors, delta, delta.upsert.readCounters),
    pinHashes: sparseAfterDelta(index.pinHashes, delta, delta.upsert.pinHashes),
  };
}
