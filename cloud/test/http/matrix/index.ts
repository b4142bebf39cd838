import { authRows } from "./auth.js";
import { badgeRows } from "./badges.js";
import { centreRows } from "./centres.js";
import { doorRows } from "./doors.js";
import { gatewayRows } from "./gateways.js";
import type { MatrixRow } from "./matrixRow.js";
import { memberRows } from "./members.js";
import { passRows } from "./passes.js";
import { resourceRows } from "./resources.js";

/**
 * Every topic's rows. A new route needs a row in its topic's file (add the file here), or the
 * role matrix test fails.
 */
export const matrixRows: readonly MatrixRow[] = [
  ...authRows,
  ...centreRows,
  ...resourceRows,
  ...doorRows,
  ...gatewayRows,
  ...memberRows,
  ...passRows,
  ...badgeRows,
];

/**
 * Registered routes whose topic has not written its rows yet. Each shows as a todo in the test
 * report; the test fails when one of them gets a row (remove it from here) or is no longer
 * registered. Never add a route here to silence the test: write its row.
 */
export const routesWithoutRows: readonly string[] = [
  // reservations (booking routes)
  "GET /availability",
  "GET /bookings",
  "GET /bookings/:bookingId",
  "POST /bookings",
  "POST /bookings/recurring",
  "DELETE /bookings/:bookingId",
  "DELETE /bookings/series/:seriesId",
  "GET /me/bookings",
  // iCalendar (booking routes)
  "GET /me/calendar-link",
  "DELETE /me/calendar-link",
  "GET /calendar/:feedToken.ics",
  "GET /resources/:resourceId/calendar.ics",
  // live and access log (live routes)
  "GET /occupancy",
  "GET /occupancy/stream",
  "GET /centres/:centreId/occupancy",
  "GET /centres/:centreId/occupancy/stream",
  "GET /access-events",
  "GET /access-events.csv",
  "GET /me/access-events",
  // audit
  "GET /audit",
  "GET /audit.csv",
  "POST /audit/verify",
];
