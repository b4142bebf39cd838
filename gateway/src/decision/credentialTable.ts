import {
  type CredentialColumns,
  credentialCount,
  credentialFlags,
  credentialHashLength,
  windowKinds,
} from "@passerelle/protocol";
import { type IndexedPass, SharedLists } from "./sharedLists.js";

export type { IndexedPass };

/** Per-credential fields as typed arrays, filled in place while a table is built. */
interface Rows {
  count: number;
  flags: Uint8Array;
  /** Position of the credential's door set, and pass list, in the table's SharedLists. */
  doorSet: Int32Array;
  passList: Int32Array;
  /** Row i's windows are windows[windowStart[i] .. windowStart[i + 1]), as [from, to, kind]. */
  windowStart: Uint32Array;
  windows: Float64Array;
}

const HASH = credentialHashLength;
const noRow = -1;

/** A 32-bit probe start from the first eight characters (the hashes are HMAC output: uniform). */
function probeOf(text: string, at: number): number {
  let h = 0;
  for (let k = 0; k < 8; k += 1) h = (Math.imul(h, 31) + text.charCodeAt(at + k)) | 0;
  return h;
}

/**
 * The credentials of a bundle as a gateway holds them, built straight from the wire's columns
 * (protocol compactBundle): the hashes and the member ids stay the two strings the body carried,
 * every other field is a typed array, and a hash finds its row through an open-addressing table.
 * Door sets and pass lists are shared between the credentials that have the same. 100 000
 * credentials take about 10 MB in a few dozen objects, where a Map of objects took ~50 MB.
 * Immutable: a delta builds a new table (`withDelta`), so a decision never sees half of one.
 */
export class CredentialTable {
  /** Credentials held (a hash given twice counts once: the later entry wins). */
  readonly size: number;
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Member i is members.slice(memberStart[i], memberStart[i + 1] - 1). */
  private readonly memberStart: Uint32Array;

  private constructor(
    /** The hashes, 22 characters each, in row order. */
    private readonly hashes: string,
    /** The member ids, comma-separated, in row order. */
    private readonly members: string,
    private readonly rows: Rows,
    private readonly lists: SharedLists,
  ) {
    this.memberStart = new Uint32Array(rows.count + 1);
    let at = 0;
    for (let row = 0; row < rows.count; row += 1) {
      this.memberStart[row] = at;
      const next = members.indexOf(",", at);
      at = next < 0 ? members.length + 1 : next + 1;
    }
    this.memberStart[rows.count] = members.length + 1;
    let capacity = 16;
    while (capacity < rows.count * 2) capacity *= 2; // load factor at most 1/2: short probes
    this.slots = new Int32Array(capacity).fill(noRow);
    this.mask = capacity - 1;
    let size = 0;
    for (let row = 0; row < rows.count; row += 1) {
      const slot = this.slotOf(hashes, row * HASH);
      if (this.slots[slot] === noRow) size += 1;
      this.slots[slot] = row;
    }
    this.size = size;
  }

  static fromColumns(columns: CredentialColumns): CredentialTable {
    const lists = new SharedLists();
    const rows = allocateRows(credentialCount(columns), columns.windows.length);
    appendColumns(rows, 0, 0, columns, lists);
    return new CredentialTable(columns.hashes, columns.members, rows, lists);
  }

  /** The table a delta leads to: `remove` (concatenated hashes) dropped, `upsert` put in. */
  withDelta(upsert: CredentialColumns, remove: string): CredentialTable {
    const kept = this.keptRows(upsert.hashes, remove);
    let keptCount = 0;
    let keptWindows = 0;
    for (let row = 0; row < this.rows.count; row += 1) {
      if (!kept[row]) continue;
      keptCount += 1;
      keptWindows += this.windowEnd(row) - this.windowBegin(row);
    }
    const rows = allocateRows(
      keptCount + credentialCount(upsert),
      keptWindows + upsert.windows.length,
    );
    const lists = new SharedLists();
    // Old list positions to new ones, so lists no kept credential uses are left behind.
    const doorSetOf = new Int32Array(this.lists.doorSetCount()).fill(noRow);
    const passListOf = new Int32Array(this.lists.passListCount()).fill(noRow);
    const hashParts: string[] = [];
    const memberParts: string[] = [];
    let out = 0;
    let w = 0;
    let runStart = 0; // kept rows come in long runs: their strings are copied a run at a time
    for (let row = 0; row <= this.rows.count; row += 1) {
      if (row < this.rows.count && kept[row]) {
        const door = this.rows.doorSet[row] as number;
        if (doorSetOf[door] === noRow) doorSetOf[door] = lists.adoptDoors(this.lists, door);
        const pass = this.rows.passList[row] as number;
        if (passListOf[pass] === noRow) passListOf[pass] = lists.adoptPasses(this.lists, pass);
        rows.flags[out] = this.rows.flags[row] as number;
        rows.doorSet[out] = doorSetOf[door] as number;
        rows.passList[out] = passListOf[pass] as number;
        rows.windowStart[out] = w;
        const windows = this.rows.windows.subarray(this.windowBegin(row), this.windowEnd(row));
        rows.windows.set(windows, w);
        w += windows.length;
        out += 1;
        continue;
      }
      if (row > runStart) {
        hashParts.push(this.hashes.slice(runStart * HASH, row * HASH));
        memberParts.push(
          this.members.slice(this.memberStart[runStart], (this.memberStart[row] as number) - 1),
        );
      }
      runStart = row + 1;
    }
    appendColumns(rows, out, w, upsert, lists);
    hashParts.push(upsert.hashes);
    if (upsert.members !== "") memberParts.push(upsert.members);
    return new CredentialTable(hashParts.join(""), memberParts.join(","), rows, lists);
  }

  /** The row of a credential hash, or -1 when the bundle does not know it. */
  find(hash: string): number {
    return hash.length === HASH ? (this.slots[this.slotOf(hash, 0)] as number) : noRow;
  }

  member(row: number): string {
    return this.members.slice(this.memberStart[row], (this.memberStart[row + 1] as number) - 1);
  }

  isRevoked(row: number): boolean {
    return ((this.rows.flags[row] as number) & credentialFlags.revoked) !== 0;
  }

  isStaff(row: number): boolean {
    return ((this.rows.flags[row] as number) & credentialFlags.staff) !== 0;
  }

  isOfflineStaff(row: number): boolean {
    return ((this.rows.flags[row] as number) & credentialFlags.offlineStaff) !== 0;
  }

  /** An NTAG 424 DNA card: opens only with a verified SUN message. */
  isSecureCard(row: number): boolean {
    return ((this.rows.flags[row] as number) & credentialFlags.secureCard) !== 0;
  }

  doors(row: number): ReadonlySet<string> {
    return this.lists.doorSet(this.rows.doorSet[row] as number);
  }

  passes(row: number): readonly IndexedPass[] {
    return this.lists.passList(this.rows.passList[row] as number);
  }

  /** Which kind of absolute window covers `now`, if any (a row's windows are sorted by start). */
  windowAt(row: number, now: number): "booking" | "pass" | null {
    const windows = this.rows.windows;
    const end = this.windowEnd(row);
    for (let i = this.windowBegin(row); i < end; i += 3) {
      if ((windows[i] as number) > now) break; // no later window can cover now
      if (now < (windows[i + 1] as number)) {
        return windows[i + 2] === windowKinds.booking ? "booking" : "pass";
      }
    }
    return null;
  }

  /** The hashes held (tests and logs: a hash is not a badge UID). */
  *keys(): IterableIterator<string> {
    for (let row = 0; row < this.rows.count; row += 1) {
      if (this.isLive(row)) yield this.hashes.slice(row * HASH, (row + 1) * HASH);
    }
  }

  /** Rows that stay through a delta: live, and neither removed nor replaced. */
  private keptRows(upserted: string, removed: string): Uint8Array {
    const kept = new Uint8Array(this.rows.count);
    for (let row = 0; row < this.rows.count; row += 1) kept[row] = this.isLive(row) ? 1 : 0;
    for (const text of [upserted, removed]) {
      for (let at = 0; at + HASH <= text.length; at += HASH) {
        const row = this.slots[this.slotOf(text, at)] as number;
        if (row !== noRow) kept[row] = 0;
      }
    }
    return kept;
  }

  /** False for a row whose hash came again later in the same bundle (the later one holds). */
  private isLive(row: number): boolean {
    return this.slots[this.slotOf(this.hashes, row * HASH)] === row;
  }

  /** The slot that holds the hash at text[at, at + 22), or the empty slot where it would go. */
  private slotOf(text: string, at: number): number {
    let slot = probeOf(text, at) & this.mask;
    for (;;) {
      const row = this.slots[slot] as number;
      if (row === noRow || this.holdsAt(row, text, at)) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private holdsAt(row: number, text: string, at: number): boolean {
    const base = row * HASH;
    for (let k = 0; k < HASH; k += 1) {
      if (this.hashes.charCodeAt(base + k) !== text.charCodeAt(at + k)) return false;
    }
    return true;
  }

  private windowBegin(row: number): number {
    return this.rows.windowStart[row] as number;
  }

  private windowEnd(row: number): number {
    return this.rows.windowStart[row + 1] as number;
  }
}

function allocateRows(count: number, windowNumbers: number): Rows {
  return {
    count,
    flags: new Uint8Array(count),
    doorSet: new Int32Array(count),
    passList: new Int32Array(count),
    windowStart: new Uint32Array(count + 1),
    windows: new Float64Array(windowNumbers),
  };
}

/** Copies the wire's per-credential columns into rows from row `out` and window number `w`. */
function appendColumns(
  rows: Rows,
  out: number,
  w: number,
  columns: CredentialColumns,
  lists: SharedLists,
): void {
  const doorSetOf = columns.doorLists.map(() => noRow);
  const passListOf = columns.passLists.map(() => noRow);
  let from = 0;
  for (let i = 0; i < credentialCount(columns); i += 1, out += 1) {
    rows.flags[out] = columns.flags[i] as number;
    const door = columns.doorListIndex[i] as number;
    if (doorSetOf[door] === noRow) doorSetOf[door] = lists.doors(columns.doorLists[door] ?? []);
    rows.doorSet[out] = doorSetOf[door] as number;
    const pass = columns.passListIndex[i] as number;
    if (passListOf[pass] === noRow) passListOf[pass] = lists.passes(columns.passLists[pass] ?? []);
    rows.passList[out] = passListOf[pass] as number;
    rows.windowStart[out] = w;
    const to = from + 3 * (columns.windowCounts[i] as number);
    for (let k = from; k < to; k += 1) rows.windows[w + k - from] = columns.windows[k] as number;
    sortTriples(rows.windows, w, w + to - from);
    w += to - from;
    from = to;
  }
  rows.windowStart[out] = w; // the end of the last row's windows
}

/** The compiler sends a credential's windows sorted by start; anything else is sorted here. */
function sortTriples(windows: Float64Array, begin: number, end: number): void {
  for (let i = begin + 3; i < end; i += 3) {
    if ((windows[i] as number) >= (windows[i - 3] as number)) continue;
    const triples: number[][] = [];
    for (let k = begin; k < end; k += 3) {
      triples.push([windows[k] as number, windows[k + 1] as number, windows[k + 2] as number]);
    }
    triples.sort((a, b) => (a[0] as number) - (b[0] as number));
    windows.set(triples.flat(), begin);
    return;
  }
}
