import type {
  BundleCredential,
  CentreRules,
  DeltaBundle,
  Door,
  FullBundle,
} from "@passerelle/protocol";
import { LocalClock } from "./localTime.js";
import { type CompiledWeek, compileWeek } from "./weeklyHours.js";

/** A pass valid between two instants, at the centre's opening hours or at its own. */
export interface IndexedPass {
  from: number;
  to: number;
  /** null: the centre's opening hours. */
  hours: CompiledWeek | null;
}

/** One credential as the engine reads it: every time already parsed, doors in a Set. */
export interface IndexedCredential {
  member: string;
  revoked: boolean;
  doors: ReadonlySet<string>;
  /**
   * Absolute windows as flat triples [from, to, kind] sorted by start, kind 1 for a booking
   * (grace included) and 0 for a pass day: one plain array per credential, cheap to build.
   */
  windows: readonly number[];
  passes: readonly IndexedPass[];
  staff: boolean;
  offlineStaff: boolean;
}

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
  credentials: ReadonlyMap<string, IndexedCredential>;
}

const noWindows: readonly number[] = Object.freeze([]);
const noPasses: readonly IndexedPass[] = Object.freeze([]);

/**
 * Shares what many credentials repeat (the same doors, the same network pass), so a bundle of
 * 100 000 credentials builds fast and holds little: an index is read-only, so sharing is safe.
 */
export class IndexInterner {
  private readonly doorSets = new Map<string, ReadonlySet<string>>();
  private readonly passes = new Map<string, IndexedPass>();

  doors(ids: readonly string[]): ReadonlySet<string> {
    const key = ids.join("\u0000");
    let set = this.doorSets.get(key);
    if (set === undefined) {
      set = new Set(ids);
      this.doorSets.set(key, set);
    }
    return set;
  }

  pass(pass: BundleCredential["passes"][number]): IndexedPass {
    const key = `${pass.from}|${pass.to}|${JSON.stringify(pass.hours)}`;
    let indexed = this.passes.get(key);
    if (indexed === undefined) {
      indexed = {
        from: Date.parse(pass.from),
        to: Date.parse(pass.to),
        hours: pass.hours === "opening-hours" ? null : compileWeek(pass.hours),
      };
      this.passes.set(key, indexed);
    }
    return indexed;
  }
}

export function indexCredential(
  credential: BundleCredential,
  interner: IndexInterner = new IndexInterner(),
): IndexedCredential {
  let windows = noWindows;
  if (credential.windows.length > 0) {
    // Sorted by parsed start (ISO text with and without milliseconds does not sort as text).
    const parsed = credential.windows
      .map((w) => [Date.parse(w.from), Date.parse(w.to), w.source === "booking" ? 1 : 0] as const)
      .sort((a, b) => a[0] - b[0]);
    windows = parsed.flat();
  }
  return {
    member: credential.member,
    revoked: credential.status === "revoked",
    doors: interner.doors(credential.doors),
    windows,
    passes:
      credential.passes.length === 0 ? noPasses : credential.passes.map((p) => interner.pass(p)),
    staff: credential.staff,
    offlineStaff: credential.offlineStaff,
  };
}

function centreFields(bundle: FullBundle, previous?: AccessIndex) {
  const sameZone = previous?.timeZone === bundle.rules.timeZone;
  return {
    centre: bundle.centre,
    version: bundle.version,
    issuedAt: Date.parse(bundle.issuedAt),
    validUntil: Date.parse(bundle.validUntil),
    credentialSalt: bundle.credentialSalt,
    rules: bundle.rules,
    timeZone: bundle.rules.timeZone,
    localClock: sameZone && previous ? previous.localClock : new LocalClock(bundle.rules.timeZone),
    openingHours: compileWeek(bundle.rules.openingHours),
    closedDates: new Set(bundle.rules.closedDates),
    doors: new Map(bundle.doors.map((door) => [door.id, door])),
  };
}

/** Builds the index of a full bundle (off the badge path: at start and when a bundle arrives). */
export function buildIndex(bundle: FullBundle): AccessIndex {
  const credentials = new Map<string, IndexedCredential>();
  for (const credential of bundle.credentials)
    credentials.set(credential.hash, indexCredential(credential));
  return { ...centreFields(bundle), credentials };
}

/** The index a verified delta leads to; the given index is left untouched (copy on write). */
export function applyDeltaToIndex(index: AccessIndex, delta: DeltaBundle): AccessIndex {
  const credentials = new Map(index.credentials);
  for (const hash of delta.remove) credentials.delete(hash);
  for (const credential of delta.upsert)
    credentials.set(credential.hash, indexCredential(credential));
  const next: AccessIndex = {
    ...index,
    version: delta.version,
    issuedAt: Date.parse(delta.issuedAt),
    validUntil: Date.parse(delta.validUntil),
    credentials,
  };
  if (delta.rules) {
    const timeZone = delta.rules.timeZone;
    Object.assign(next, {
      rules: delta.rules,
      timeZone,
      localClock: timeZone === index.timeZone ? index.localClock : new LocalClock(timeZone),
      openingHours: compileWeek(delta.rules.openingHours),
      closedDates: new Set(delta.rules.closedDates),
    });
  }
  if (delta.doors) next.doors = new Map(delta.doors.map((door) => [door.id, door]));
  return next;
}
