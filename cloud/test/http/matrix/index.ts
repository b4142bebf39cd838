import { accessEventRows } from "./accessEvents.js";
import { accountRows } from "./accounts.js";
import { auditRows } from "./audit.js";
import { authRows } from "./auth.js";
import { badgeRows } from "./badges.js";
import { calendarRows } from "./calendar.js";
import { centreRows } from "./centres.js";
import { doorOperationRows } from "./doorOperations.js";
import { doorRows } from "./doors.js";
import { gatewayRows } from "./gateways.js";
import { hoursRows } from "./hours.js";
import { liveRows } from "./live.js";
import type { MatrixRow } from "./matrixRow.js";
import { memberRows } from "./members.js";
import { passRows } from "./passes.js";
import { peopleRows } from "./people.js";
import { reservationRows } from "./reservations.js";
import { resourceRows } from "./resources.js";

/**
 * Every topic's rows. A new route needs a row in its topic's file (add the file here), or the
 * role matrix test fails: there is no list of routes waiting for one.
 */
export const matrixRows: readonly MatrixRow[] = [
  ...authRows,
  ...accountRows,
  ...centreRows,
  ...resourceRows,
  ...doorRows,
  ...doorOperationRows,
  ...gatewayRows,
  ...memberRows,
  ...passRows,
  ...badgeRows,
  ...reservationRows,
  ...calendarRows,
  ...liveRows,
  ...accessEventRows,
  ...auditRows,
  ...hoursRows,
  ...peopleRows,
];
