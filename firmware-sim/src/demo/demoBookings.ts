import { type PlannedBooking, planDayBookings } from "../scenario/dayBookings.js";
import { localDay } from "../scenario/localDay.js";
import type { ScenarioClock } from "../scenario/scenarioClock.js";
import type { PlannedStep } from "../scenario/scenarioRunner.js";
import type { CloudChild } from "./cloudChild.js";
import type { DemoManifest } from "./demoManifest.js";
import { bookableDesks, demoCentres } from "./demoNetwork.js";

/**
 * Each simulated day, some visitors book a desk for their visit (through the demo cloud's
 * domain, as the API would), and one booking in five is not honoured: that person stays away,
 * so the booking is never checked in and the reports count a no-show.
 */
export class DemoBookings {
  private made = 0;
  private refused = 0;
  private noShows = 0;

  constructor(
    private readonly options: {
      cloud: Pick<CloudChild, "control">;
      manifest: DemoManifest;
      clock: ScenarioClock;
      timeZone: string;
      /** Share of visitors who book (0.15). */
      bookingChance?: number;
    },
  ) {}

  /** Books the day's desks in the background; returns the people who will not come. */
  bookDay(steps: readonly PlannedStep[]): ReadonlySet<string> {
    const { manifest, clock } = this.options;
    const first = steps[0];
    if (first === undefined) return new Set();
    const realStart = Date.now();
    const bookings = planDayBookings(steps, {
      seed: manifest.seed,
      date: localDay(first.at, this.options.timeZone).date,
      desks: (centre) => {
        const known = demoCentres.find((c) => c.id === centre);
        return known === undefined ? [] : bookableDesks(known);
      },
      realTime: (at) => realStart + clock.realDelayUntil(at),
      now: realStart,
      ...(this.options.bookingChance === undefined
        ? {}
        : { bookingChance: this.options.bookingChance }),
    });
    void this.create(bookings);
    return new Set(bookings.filter((b) => !b.honoured).map((b) => b.person));
  }

  /** "desk bookings 12 (2 no-shows), 1 refused": for the progress line. */
  summary(): string {
    const refused = this.refused > 0 ? `, ${this.refused} refused (taken or no pass)` : "";
    return `desk bookings ${this.made} (${this.noShows} not honoured)${refused}`;
  }

  private async create(bookings: readonly PlannedBooking[]): Promise<void> {
    const members = new Map(this.options.manifest.people.map((p) => [p.key, p.memberId]));
    for (const booking of bookings) {
      const memberId = members.get(booking.person);
      if (memberId === undefined) continue;
      try {
        await this.options.cloud.control({
          op: "book",
          memberId,
          resourceId: booking.resourceId,
          start: booking.start,
          end: booking.end,
        });
        this.made += 1;
        if (!booking.honoured) this.noShows += 1;
      } catch {
        // The desk is taken at that time, or the person's pass has run out: no booking.
        this.refused += 1;
      }
    }
  }
}
