/** A simulated worker: who they are, their card, and how they usually work. */
export interface SimPerson {
  /** Stable across runs of one seed: `p-0001`. */
  readonly key: string;
  readonly name: string;
  readonly email: string;
  /** The card's UID, 7 bytes as uppercase hex (NXP manufacturer byte 04 first). */
  readonly uid: string;
  readonly homeCentre: string;
  /** A network pass opens every centre; a membership only the home centre. */
  readonly pass: "network" | "centre-membership";
  readonly habits: WorkHabits;
}

export interface WorkHabits {
  /** ISO weekdays (1 = Monday) this person usually works away from home. */
  readonly workDays: readonly number[];
  /** Local minutes after midnight: a usual arrival, and how long a day in a centre lasts. */
  readonly arrivalMinute: number;
  readonly stayMinutes: number;
  /** A network member sometimes works in another centre of the network. */
  readonly roamChance: number;
  /** Goes out for lunch and badges back in. */
  readonly lunchOutChance: number;
}

export function uidBytes(person: Pick<SimPerson, "uid">): Uint8Array {
  return Uint8Array.from(Buffer.from(person.uid, "hex"));
}
