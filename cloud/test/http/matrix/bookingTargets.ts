import { DateTime } from "luxon";
import { createPass } from "../../../src/domain/passes.js";
import { createBooking } from "../../../src/reservations/createBooking.js";
import { createRecurringBookings } from "../../../src/reservations/createRecurringBookings.js";
import { admin } from "../../support/fixtures.js";
import type { TestCloud } from "../../support/httpFixture.js";
import type { MatrixContext } from "./matrixRow.js";

const zone = "Europe/Brussels";
/** The fixture's centres open on weekdays 08:00–18:00: twenty half-hour slots a day. */
const slotsPerDay = 20;
const slotMinutes = 30;

/** The desk of centre A every booking row uses, one free slot after another. */
export const deskOfA = "redu-desk-1";

let slotsTaken = 0;
const passes = new WeakMap<TestCloud, Promise<unknown>>();

/**
 * A free half hour on the desk, on a coming weekday (tomorrow at the earliest, whatever time
 * the tests run): each call the next one, so no booking row meets another row's booking.
 */
export function nextSlot(): { start: DateTime; end: DateTime } {
  const index = slotsTaken;
  slotsTaken += 1;
  const nextWeekday = (from: DateTime) => {
    let day = from.plus({ days: 1 });
    while (day.weekday > 5) day = day.plus({ days: 1 });
    return day;
  };
  let day = nextWeekday(DateTime.now().setZone(zone).startOf("day"));
  for (let skip = Math.floor(index / slotsPerDay); skip > 0; skip -= 1) day = nextWeekday(day);
  const start = day.set({ hour: 8, minute: (index % slotsPerDay) * slotMinutes });
  return { start, end: start.plus({ minutes: slotMinutes }) };
}

/** With its zone offset, as the API wants it. */
export const iso = (time: DateTime): string => time.toISO({ includeOffset: true }) ?? "";

/**
 * Ann's fixture pass ends with 2026; bookings need one for the coming weeks whenever the tests
 * run. Created once per cloud.
 */
export function annMayBook(t: TestCloud): Promise<unknown> {
  let pass = passes.get(t);
  if (pass === undefined) {
    const now = Date.now();
    pass = createPass(t.deps, admin, {
      memberId: t.ids.workerMemberId,
      kind: "network",
      validFrom: now - 3_600_000,
      validTo: now + 120 * 86_400_000,
    });
    passes.set(t, pass);
  }
  return pass;
}

/** A booking of Ann's at centre A. */
export async function annsBooking({ t }: MatrixContext): Promise<string> {
  await annMayBook(t);
  const { start, end } = nextSlot();
  const booking = await createBooking(t.deps, admin, {
    resourceId: deskOfA,
    memberId: t.ids.workerMemberId,
    start: start.toMillis(),
    end: end.toMillis(),
  });
  return booking.id;
}

/** A one-occurrence recurring booking of Ann's at centre A. */
export async function annsSeries({ t }: MatrixContext): Promise<string> {
  await annMayBook(t);
  const { start } = nextSlot();
  const series = await createRecurringBookings(t.deps, admin, {
    resourceId: deskOfA,
    memberId: t.ids.workerMemberId,
    rrule: "FREQ=DAILY;COUNT=1",
    localStart: start.toFormat("yyyy-MM-dd'T'HH:mm"),
    durationMinutes: slotMinutes,
    mode: "refuse-all",
  });
  return series.seriesId;
}
