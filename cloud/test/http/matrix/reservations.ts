import { annMayBook, annsBooking, annsSeries, deskOfA, iso, nextSlot } from "./bookingTargets.js";
import {
  anyoneLoggedIn,
  type MatrixContext,
  type MatrixRole,
  type MatrixRow,
  memberDataOfCentreA,
  ownerOrStaffOfCentreA,
  type Prepared,
  workerOnly,
} from "./matrixRow.js";

/**
 * A booking request on A's desk: Ann books for herself; everyone else asks for Ann (staff book
 * for a member; another worker may not).
 */
async function bookingForAnn({ t }: MatrixContext, role: MatrixRole) {
  await annMayBook(t);
  const { start, end } = nextSlot();
  const forAnn = role === "worker" ? {} : { memberId: t.ids.workerMemberId };
  return { resourceId: deskOfA, start: iso(start), end: iso(end), ...forAnn };
}

/** Rows for cloud/src/http/routes/availability/ and bookings/ (targets: Ann's, at centre A). */
export const reservationRows: MatrixRow[] = [
  {
    route: "GET /availability",
    // Free slots are the network's shop window: every login sees every centre's.
    expect: anyoneLoggedIn(200),
    prepare: async (): Promise<Prepared> => {
      const { start } = nextSlot();
      const from = start.startOf("day");
      const query = new URLSearchParams({
        centreId: "redu",
        kind: "desk",
        from: iso(from),
        to: iso(from.plus({ days: 1 })),
      });
      return { query: query.toString() };
    },
  },
  {
    route: "GET /bookings",
    expect: memberDataOfCentreA(200),
    prepare: async ({ t }) => ({ query: `centreId=redu&memberId=${t.ids.workerMemberId}` }),
  },
  { route: "GET /me/bookings", expect: workerOnly(200) },
  {
    route: "GET /bookings/:bookingId",
    expect: ownerOrStaffOfCentreA(200),
    prepare: async (ctx) => ({ params: { bookingId: await annsBooking(ctx) } }),
  },
  {
    route: "POST /bookings",
    expect: memberDataOfCentreA(201),
    prepare: async (ctx, role) => ({ body: await bookingForAnn(ctx, role) }),
  },
  {
    route: "POST /bookings/recurring",
    expect: memberDataOfCentreA(201),
    prepare: async (ctx, role) => ({
      body: {
        ...(await bookingForAnn(ctx, role)),
        rrule: "FREQ=DAILY;COUNT=1",
        mode: "refuse-all",
      },
    }),
  },
  {
    route: "DELETE /bookings/:bookingId",
    expect: ownerOrStaffOfCentreA(200),
    prepare: async (ctx) => ({ params: { bookingId: await annsBooking(ctx) } }),
  },
  {
    route: "DELETE /bookings/series/:seriesId",
    expect: ownerOrStaffOfCentreA(200),
    prepare: async (ctx) => ({ params: { seriesId: await annsSeries(ctx) } }),
  },
];
