import type { BundleCredential, DeltaBundle, Door, FullBundle } from "@passerelle/protocol";
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
  /** Absolute windows [from, to) as pairs, sorted by start: bookings (grace included), day passes. */
  windows: Float64Array;
  /** Whether each window came from a booking (1) or a pass (0). */
  windowIsBooking: Uint8Array;
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
  timeZone: string;
  localClock: LocalClock;
  openingHours: CompiledWeek;
  closedDates: ReadonlySet<string>;
  doors: ReadonlyMap<string, Door>;
  credentials: ReadonlyMap<string, IndexedCredential>;
}

export function indexCredential(credential: BundleCredential): IndexedCredential {
  const windows = credential.windows
    .map((w) => ({
      from: Date.parse(w.from),
      to: Date.parse(w.to),
      booking: w.source === "booking",
    }))
    .sort((a, b) => a.from - b.from);
  const pairs = new Float64Array(windows.length * 2);
  const isBooking = new Uint8Array(windows.length);
  windows.forEach((w, i) => {
    pairs[2 * i] = w.from;
    pairs[2 * i + 1] = w.to;
    isBooking[i] = w.booking ? 1 : 0;
  });
  return {
    member: credential.member,
    revoked: credential.status === "revoked",
    doors: new Set(credential.doors),
    windows: pairs,
    windowIsBooking: isBooking,
    passes: credential.passes.map((p) => ({
      from: Date.parse(p.from),
      to: Date.parse(p.to),
      hours: p.hours === "opening-hours" ? null : compileWeek(p.hours),
    })),
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
      timeZone,
      localClock: timeZone === index.timeZone ? index.localClock : new LocalClock(timeZone),
      openingHours: compileWeek(delta.rules.openingHours),
      closedDates: new Set(delta.rules.closedDates),
    });
  }
  if (delta.doors) next.doors = new Map(delta.doors.map((door) => [door.id, door]));
  return next;
}
