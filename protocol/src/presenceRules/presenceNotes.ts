/**
 * Input the presence rules met and handled by a rule rather than refused (each is counted and
 * handed to the tracker's `onNote`, so the gateway can log it):
 *
 * - `exit-at-zero`: an exit (anonymous or badge) while the centre's headcount is already 0; the
 *   headcount stays 0 (it never goes below), the exit is otherwise ignored;
 * - `exit-not-inside`: an exit badge from a member with no open session at that centre; no
 *   session closes and the headcount does not move (that member's entry was not counted either:
 *   they came in behind someone, or their session had already closed);
 * - `headcount-written-off`: the centre's headcount was still above 0 when the deadline of its
 *   latest counted entry passed with nobody attributed inside (the centre closed, or nobody badged
 *   for the inactivity limit): the exits the doors missed are written off and it restarts at 0.
 */
export type PresenceNoteKind = "exit-at-zero" | "exit-not-inside" | "headcount-written-off";

export const presenceNoteKinds: readonly PresenceNoteKind[] = [
  "exit-at-zero",
  "exit-not-inside",
  "headcount-written-off",
];

export interface PresenceNote {
  readonly kind: PresenceNoteKind;
  readonly centre: string;
  /** When it happened (the exit's time, or the write-off's), ms since the epoch. */
  readonly at: number;
  readonly member?: string;
  /** The event that met the rule, when there is one. */
  readonly event?: string;
  /** For a write-off: the headcount written off. */
  readonly count?: number;
}
