import type { PassRule } from "@passerelle/protocol";
import { type CompiledWeek, compileWeek } from "./weeklyHours.js";

/** A pass valid between two instants, at the centre's opening hours or at its own. */
export interface IndexedPass {
  from: number;
  to: number;
  /** null: the centre's opening hours. */
  hours: CompiledWeek | null;
  /** Opens only for a verified SUN card. */
  secureCardOnly: boolean;
}

/**
 * The door sets and pass lists of one credential table, each distinct one held once and
 * referred to by position: a bundle of 100 000 credentials has a handful of each. Read-only once
 * the table is built, so sharing between credentials (and between a table and the next one a
 * delta builds) is safe.
 */
export class SharedLists {
  private readonly doorSets: ReadonlySet<string>[] = [];
  private readonly doorKeys: string[] = [];
  private readonly doorPositions = new Map<string, number>();
  private readonly passLists: (readonly IndexedPass[])[] = [];
  private readonly passKeys: string[] = [];
  private readonly passPositions = new Map<string, number>();
  private readonly compiledPasses = new Map<string, IndexedPass>();

  doorSet(position: number): ReadonlySet<string> {
    return this.doorSets[position] as ReadonlySet<string>;
  }

  passList(position: number): readonly IndexedPass[] {
    return this.passLists[position] as readonly IndexedPass[];
  }

  doorSetCount(): number {
    return this.doorSets.length;
  }

  passListCount(): number {
    return this.passLists.length;
  }

  /** The position of a door list from the wire. */
  doors(ids: readonly string[]): number {
    // Door ids match the protocol's Id pattern, which has no comma.
    const key = ids.join(",");
    return this.doorPositions.get(key) ?? this.addDoors(key, new Set(ids));
  }

  /** The position of a pass list from the wire (canonical JSON: one spelling per content). */
  passes(rules: readonly PassRule[]): number {
    const key = JSON.stringify(rules);
    return (
      this.passPositions.get(key) ??
      this.addPasses(
        key,
        rules.map((rule) => this.compile(rule)),
      )
    );
  }

  /** Takes over door set `position` of `other` (the table a delta replaces), without a copy. */
  adoptDoors(other: SharedLists, position: number): number {
    const key = other.doorKeys[position] as string;
    return this.doorPositions.get(key) ?? this.addDoors(key, other.doorSet(position));
  }

  adoptPasses(other: SharedLists, position: number): number {
    const key = other.passKeys[position] as string;
    return this.passPositions.get(key) ?? this.addPasses(key, other.passList(position));
  }

  private addDoors(key: string, set: ReadonlySet<string>): number {
    this.doorPositions.set(key, this.doorSets.length);
    this.doorKeys.push(key);
    return this.doorSets.push(set) - 1;
  }

  private addPasses(key: string, list: readonly IndexedPass[]): number {
    this.passPositions.set(key, this.passLists.length);
    this.passKeys.push(key);
    return this.passLists.push(list) - 1;
  }

  private compile(rule: PassRule): IndexedPass {
    const key = JSON.stringify(rule);
    let indexed = this.compiledPasses.get(key);
    if (indexed === undefined) {
      indexed = {
        from: Date.parse(rule.from),
        to: Date.parse(rule.to),
        hours: rule.hours === "opening-hours" ? null : compileWeek(rule.hours),
        secureCardOnly: rule.secureCardOnly === true,
      };
      this.compiledPasses.set(key, indexed);
    }
    return indexed;
  }
}
